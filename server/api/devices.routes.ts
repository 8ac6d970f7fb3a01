// /accounts/{accountId}/devices: phones and ATAs by MAC, their lines and ring flags.
import { z } from 'zod';
import { type Devices, deviceSchemas as s } from '../accounts/index.js';
import { crudRoutes, itemParams } from './crud.js';
import { route } from './route.js';

export function deviceRoutes(deps: { devices: Devices }) {
  const { devices } = deps;
  const params = itemParams('deviceId');
  return [
    ...crudRoutes({
      collection: 'devices',
      idParam: 'deviceId',
      noun: 'Device',
      service: devices,
      filter: s.deviceFilter,
      item: s.device,
      create: s.createDevice,
      update: s.updateDevice,
      summaries: {
        list: 'Devices of the account (a user sees those carrying its subaccount)',
        create: 'Add a device by MAC (any notation) with its lines',
      },
    }),
    route({
      method: 'post',
      path: '/accounts/{accountId}/devices/{deviceId}/resync',
      operationId: 'resyncDevice',
      summary: 'Make the device fetch its configuration again (SIP NOTIFY check-sync to its registrations)',
      tag: 'devices',
      status: 200,
      params,
      response: z.object({ notified: z.number().int(), event: z.string() }),
      handler: ({ caller, params: p }) => devices.resync(caller, p.accountId, p.deviceId),
    }),
    route({
      method: 'put',
      path: '/accounts/{accountId}/devices/{deviceId}/lines',
      operationId: 'replaceDeviceLines',
      summary: 'Replace all lines of a device',
      tag: 'devices',
      params,
      body: s.replaceLines,
      response: s.device,
      handler: ({ caller, params: p, body }) => devices.replaceLines(caller, p.accountId, p.deviceId, body.lines),
    }),
    route({
      method: 'patch',
      path: '/accounts/{accountId}/devices/{deviceId}/lines/{lineNo}',
      operationId: 'updateDeviceLine',
      summary: 'Turn ringing on or off for one line (a user may, on its own lines)',
      tag: 'devices',
      params: params.extend({ lineNo: z.coerce.number().int().min(1).max(64) }),
      body: s.updateLine,
      response: s.device,
      handler: ({ caller, params: p, body }) =>
        devices.setRing(caller, p.accountId, p.deviceId, p.lineNo, body.ring),
    }),
  ];
}
