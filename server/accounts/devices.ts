// Device operations. Lines point only at subaccounts of the device's account;
// a `user` sees the devices that carry its subaccount and flips ring on its own lines.
import type { Database, DeviceRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type Caller, can, reachAccount } from './access.js';
import { recordAudit } from './audit.js';
import { type ChangeDeps, committedChange } from './changes.js';
import * as repo from './device.repository.js';
import { resyncEventFor } from '../../provisioning/index.js';
import { type CreateDevice, type Device, type DeviceFilter, type Line, type UpdateDevice, toDevice } from './device.schemas.js';

/** What resync needs from the SIP edge (features never import sip/; the edge implements this). */
export interface DeviceNotifier {
  notifyDevice(deviceId: string, event: string): Promise<number>;
}

export class Devices {
  private notifier: DeviceNotifier | undefined;

  /** onChange: after each committed change (provisioning renders from devices and caches what it read) */
  constructor(private readonly deps: ChangeDeps) {}

  /** Set once the SIP edge runs; until then resync answers that it is unavailable. */
  useNotifier(notifier: DeviceNotifier | undefined): void {
    this.notifier = notifier;
  }

  /** Tells the device to fetch its configuration again (SIP NOTIFY to its registrations). */
  async resync(caller: Caller, accountId: string, id: string): Promise<{ notified: number; event: string }> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const device = await this.visible(this.deps.db, caller, accountId, id);
    if (!this.notifier) throw new Conflict('sip', 'resync is unavailable: the SIP edge is not running (set DRACHTIO_HOST)');
    // each vendor's own check-sync event; a generic SIP device gets the common one
    const event = resyncEventFor(device.vendor) ?? 'check-sync';
    const notified = await this.notifier.notifyDevice(id, event);
    if (notified === 0) throw new Conflict('registrations', 'the device has no current registration to notify');
    await recordAudit(this.deps.db, caller, { accountId, entity: 'device', entityId: id, action: `resync (${notified} notified)` });
    return { notified, event };
  }

  async list(caller: Caller, accountId: string, filter: DeviceFilter): Promise<Page<Device>> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    const only = caller.role === 'user' ? caller.subaccountId : undefined;
    const { rows, total } = await repo.listDevices(this.deps.db, accountId, filter, only);
    const lines = await repo.linesOf(this.deps.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toDevice(r, lines)), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<Device> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    return this.visible(this.deps.db, caller, accountId, id);
  }

  async create(caller: Caller, accountId: string, input: CreateDevice): Promise<Device> {
    return committedChange(this.deps, (trx) => this.createIn(trx, caller, accountId, input));
  }

  /** create() inside a transaction the caller opened (a MAC-addition request, a delivered phone order). */
  async createIn(trx: Database, caller: Caller, accountId: string, input: CreateDevice): Promise<Device> {
    const account = await reachAccount(trx, caller, accountId, 'manage');
    if (account.kind !== 'account') throw new InvalidField('accountId', 'devices belong to customer accounts');
    await this.checkLines(trx, accountId, input.lines);
    const row = await translatingConstraints(() =>
      repo.insertDevice(trx, { account_id: accountId, mac: input.mac, vendor: input.vendor, model: input.model, label: input.label }),
    );
    await repo.replaceDeviceLines(trx, row.id, input.lines);
    const created = toDevice(row, await repo.linesOf(trx, [row.id]));
    await recordAudit(trx, caller, { accountId, entity: 'device', entityId: row.id, action: 'create', after: created });
    return created;
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateDevice): Promise<Device> {
    return this.change(caller, accountId, id, 'update', async (trx) => {
      await translatingConstraints(() => repo.updateDeviceRow(trx, id, input));
    });
  }

  async replaceLines(caller: Caller, accountId: string, id: string, lines: Line[]): Promise<Device> {
    return this.change(caller, accountId, id, 'update lines', async (trx) => {
      await this.checkLines(trx, accountId, lines);
      await repo.replaceDeviceLines(trx, id, lines);
      await repo.updateDeviceRow(trx, id, {});
    });
  }

  async setRing(caller: Caller, accountId: string, id: string, lineNo: number, ring: boolean): Promise<Device> {
    return committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'read');
      const before = await this.visible(trx, caller, accountId, id);
      const target = before.lines.find((l) => l.lineNo === lineNo);
      if (!target) throw new NotFound('line');
      if (!can(caller, 'manage') && target.subaccountId !== caller.subaccountId) {
        throw new Forbidden('you may change only the lines of your own subaccount');
      }
      await repo.setLineRing(trx, id, lineNo, ring);
      const after = await this.visible(trx, caller, accountId, id);
      await recordAudit(trx, caller, { accountId, entity: 'device', entityId: id, action: `update line ${lineNo}`, before, after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const before = await this.visible(trx, caller, accountId, id);
      await repo.deleteDeviceRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'device', entityId: id, action: 'delete', before });
    });
  }

  private async change(
    caller: Caller,
    accountId: string,
    id: string,
    action: string,
    work: (trx: Database) => Promise<void>,
  ): Promise<Device> {
    return committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const before = await this.visible(trx, caller, accountId, id);
      await work(trx);
      const after = await this.visible(trx, caller, accountId, id);
      await recordAudit(trx, caller, { accountId, entity: 'device', entityId: id, action, before, after });
      return after;
    });
  }

  private async visible(db: Database, caller: Caller, accountId: string, id: string): Promise<Device> {
    const row: DeviceRow | undefined = await repo.deviceById(db, accountId, id);
    if (!row) throw new NotFound('device');
    const lines = await repo.linesOf(db, [row.id]);
    if (caller.role === 'user' && !lines.some((l) => l.subaccount_id === caller.subaccountId)) throw new NotFound('device');
    return toDevice(row, lines);
  }

  private async checkLines(db: Database, accountId: string, lines: Line[]): Promise<void> {
    const known = await repo.subaccountIdsIn(db, accountId, lines.map((l) => l.subaccountId));
    const index = lines.findIndex((l) => !known.has(l.subaccountId));
    if (index >= 0) throw new InvalidField(`lines.${index}.subaccountId`, 'no such subaccount in this account');
  }
}
