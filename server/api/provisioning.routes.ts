// /accounts/{accountId}/provisioning…: the account's provisioning URL (key
// rotation, allow list), per-device provisioning settings and fetch audit,
// discovered devices, and bans of sources that guessed; /provisioning/bans for
// the operator (sources that never presented a valid key).
import { z } from 'zod';
import { deviceSchemas } from '../accounts/index.js';
import { pageQuery, pageSchema } from '../paging.js';
import { type Provisioning, provisioningSchemas as s } from '../provisioning/index.js';
import { accountParams, itemParams } from './crud.js';
import { type Route, route } from './route.js';

const tag = 'provisioning';
const deviceParams = itemParams('deviceId');
const discoveredParams = itemParams('discoveredId');
const banParams = z.object({ address: z.string().min(1).max(64) });

export function provisioningRoutes(deps: { provisioning: Provisioning }): Route[] {
  const p = deps.provisioning;
  return [
    route({
      method: 'get', path: '/accounts/{accountId}/provisioning', operationId: 'getProvisioning', tag,
      summary: 'The URL the account’s devices fetch their configuration from (made on first use)',
      params: accountParams, response: s.accountProvisioning,
      handler: ({ caller, params }) => p.account(caller, params.accountId),
    }),
    route({
      method: 'patch', path: '/accounts/{accountId}/provisioning', operationId: 'updateProvisioning', tag,
      summary: 'Set the addresses devices may fetch from (empty: any)',
      params: accountParams, body: s.updateAccountProvisioning, response: s.accountProvisioning,
      handler: ({ caller, params, body }) => p.setAllow(caller, params.accountId, body.allow),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/provisioning/rotate', operationId: 'rotateProvisioningKey', tag, status: 200,
      summary: 'A new key in the provisioning URL; the old URL stops working at once',
      params: accountParams, response: s.accountProvisioning,
      handler: ({ caller, params }) => p.rotate(caller, params.accountId),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/devices/{deviceId}/provisioning', operationId: 'getDeviceProvisioning', tag,
      summary: 'What the device’s configuration holds beyond its lines: labels, keys, codecs, language, passwords',
      params: deviceParams, response: s.deviceProvisioning,
      handler: ({ caller, params }) => p.device(caller, params.accountId, params.deviceId),
    }),
    route({
      method: 'patch', path: '/accounts/{accountId}/devices/{deviceId}/provisioning', operationId: 'updateDeviceProvisioning', tag,
      summary: 'Change them; the device gets the new configuration on its next fetch',
      params: deviceParams, body: s.updateDeviceProvisioning, response: s.deviceProvisioning,
      handler: ({ caller, params, body }) => p.updateDevice(caller, params.accountId, params.deviceId, body),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/devices/{deviceId}/fetches', operationId: 'listDeviceFetches', tag,
      summary: 'Every request naming the device, newest first; the first from each address is flagged',
      params: deviceParams, query: pageQuery, response: pageSchema(s.fetch),
      handler: ({ caller, params, query }) => p.fetches(caller, params.accountId, params.deviceId, query),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/devices/{deviceId}/uploads', operationId: 'listDeviceUploads', tag,
      summary: 'Files the device uploaded (Polycom logs and overrides); never served back',
      params: deviceParams, response: z.object({ items: z.array(s.upload) }),
      handler: ({ caller, params }) => p.uploads(caller, params.accountId, params.deviceId),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/provisioning/discovered', operationId: 'listDiscoveredDevices', tag,
      summary: 'Unknown MACs that fetched with the account’s key, to claim or dismiss',
      params: accountParams, response: z.object({ items: z.array(s.discovered) }),
      handler: ({ caller, params }) => p.discovered(caller, params.accountId),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/provisioning/discovered/{discoveredId}/claim', operationId: 'claimDiscoveredDevice', tag,
      summary: 'Create the device from a discovered MAC, with its lines',
      params: discoveredParams, body: s.claimDevice, response: deviceSchemas.device,
      handler: ({ caller, params, body }) => p.claim(caller, params.accountId, params.discoveredId, body),
    }),
    route({
      method: 'delete', path: '/accounts/{accountId}/provisioning/discovered/{discoveredId}', operationId: 'dismissDiscoveredDevice', tag,
      summary: 'Hide a discovered MAC',
      params: discoveredParams,
      handler: ({ caller, params }) => p.dismiss(caller, params.accountId, params.discoveredId),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/provisioning/bans', operationId: 'listAccountProvisioningBans', tag,
      summary: 'Sources banned for guessing MACs with the account’s key',
      params: accountParams, response: z.object({ items: z.array(s.ban) }),
      handler: ({ caller, params }) => p.bans(caller, params.accountId),
    }),
    route({
      method: 'delete', path: '/accounts/{accountId}/provisioning/bans/{address}', operationId: 'liftAccountProvisioningBan', tag,
      summary: 'Lift such a ban',
      params: accountParams.merge(banParams),
      handler: ({ caller, params }) => p.liftBan(caller, params.address, params.accountId),
    }),
    route({
      method: 'get', path: '/provisioning/bans', operationId: 'listProvisioningBans', tag,
      summary: 'Every provisioning ban (operator)',
      response: z.object({ items: z.array(s.ban) }),
      handler: ({ caller }) => p.bans(caller),
    }),
    route({
      method: 'delete', path: '/provisioning/bans/{address}', operationId: 'liftProvisioningBan', tag,
      summary: 'Lift any provisioning ban (operator)',
      params: banParams,
      handler: ({ caller, params }) => p.liftBan(caller, params.address),
    }),
  ];
}
