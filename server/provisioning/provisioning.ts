// Provisioning as the API sees it: the account's URL key (shown, rotated) and
// allow list, per-device settings, the fetch audit, discovered devices (claim,
// dismiss) and bans (list, lift). Every method checks role and tenant first.
import { type Caller, type Devices, reachAccount, recordAudit } from '../accounts/index.js';
import type { Database, DeviceProvisioningRow } from '../db/index.js';
import { Forbidden, InvalidField, NotFound } from '../errors.js';
import { type SecretBox, randomPassword } from '../secrets.js';
import type { FetchLog } from './fetch-log.js';
import type { Lookups } from './lookups.js';
import { type KeyHasher, newKey } from './keys.js';
import * as repo from './provisioning.repository.js';
import type { AccountProvisioning, ClaimDevice, DeviceProvisioning, UpdateDeviceProvisioning } from './provisioning.schemas.js';

export interface ProvisioningDeps {
  db: Database;
  box: SecretBox;
  hasher: KeyHasher;
  devices: Devices;
  fetchLog: FetchLog;
  /** told of every change here, so the next fetch sees it */
  lookups: Lookups;
  /** the base URL devices use (config, or the listener's address) */
  baseUrl: () => string;
  now?: () => Date;
}

export class Provisioning {
  constructor(private readonly deps: ProvisioningDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The account's provisioning URL; the first call makes its key. */
  async account(caller: Caller, accountId: string): Promise<AccountProvisioning> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'devices belong to customer accounts');
      const row = (await repo.accountKey(trx, accountId)) ?? (await this.storeKey(trx, accountId));
      return this.shape(row);
    }).finally(() => this.deps.lookups.invalidate());
  }

  /** A new key: URLs with the old one get the same 404 as any wrong key from now on. */
  async rotate(caller: Caller, accountId: string): Promise<AccountProvisioning> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'devices belong to customer accounts');
      const row = await this.storeKey(trx, accountId);
      await recordAudit(trx, caller, { accountId, entity: 'provisioning', entityId: accountId, action: 'rotate key' });
      return this.shape(row);
    }).finally(() => this.deps.lookups.invalidate());
  }

  async setAllow(caller: Caller, accountId: string, allow: string[]): Promise<AccountProvisioning> {
    await this.account(caller, accountId);
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await repo.accountKey(trx, accountId);
      await repo.setAllow(trx, accountId, allow);
      await recordAudit(trx, caller, { accountId, entity: 'provisioning', entityId: accountId, action: 'update allow list', before: { allow: before?.allow }, after: { allow } });
      return this.shape((await repo.accountKey(trx, accountId))!);
    }).finally(() => this.deps.lookups.invalidate());
  }

  async device(caller: Caller, accountId: string, deviceId: string): Promise<DeviceProvisioning> {
    await this.reachDevice(caller, accountId, deviceId);
    return this.deviceShape(await repo.ensureDeviceSettings(this.deps.db, deviceId, this.deps.box.seal(randomPassword(16))));
  }

  async updateDevice(caller: Caller, accountId: string, deviceId: string, input: UpdateDeviceProvisioning): Promise<DeviceProvisioning> {
    await this.reachDevice(caller, accountId, deviceId);
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await repo.ensureDeviceSettings(trx, deviceId, this.deps.box.seal(randomPassword(16)));
      const creds = input.httpCredentials;
      const row = await repo.updateDeviceSettings(trx, deviceId, {
        language: input.language,
        codecs: input.codecs,
        function_keys: input.functionKeys && JSON.stringify(input.functionKeys),
        line_labels: input.lines && JSON.stringify(input.lines),
        admin_password_enc: input.regenerateAdminPassword ? this.deps.box.seal(randomPassword(16)) : undefined,
        http_user: creds === undefined ? undefined : (creds?.user ?? null),
        http_password_enc: creds === undefined ? undefined : creds && this.deps.box.seal(creds.password),
      });
      const after = this.deviceShape(row);
      const action = input.regenerateAdminPassword ? 'update provisioning (admin password regenerated)' : 'update provisioning';
      await recordAudit(trx, caller, { accountId, entity: 'device', entityId: deviceId, action, before: withoutSecrets(this.deviceShape(before)), after: withoutSecrets(after) });
      return after;
    }).finally(() => this.deps.lookups.invalidate());
  }

  async fetches(caller: Caller, accountId: string, deviceId: string, page: { limit: number; offset: number }) {
    await this.reachDevice(caller, accountId, deviceId);
    await this.deps.fetchLog.flush();
    const { rows, total } = await repo.fetchesOf(this.deps.db, deviceId, page);
    const items = rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      address: r.address,
      userAgent: r.user_agent,
      file: r.file,
      result: r.result,
      firstFromAddress: r.first_from_address,
    }));
    return { items, total, ...page };
  }

  async uploads(caller: Caller, accountId: string, deviceId: string) {
    await this.reachDevice(caller, accountId, deviceId);
    const rows = await repo.uploadsOf(this.deps.db, deviceId);
    return { items: rows.map((r) => ({ id: r.id, file: r.file, address: r.address, size: Number(r.size), at: r.at.toISOString() })) };
  }

  async discovered(caller: Caller, accountId: string) {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const rows = await repo.discoveredOf(this.deps.db, accountId);
    const items = rows.map((r) => ({
      id: r.id,
      mac: r.mac,
      vendor: r.vendor,
      model: r.model,
      userAgent: r.user_agent,
      address: r.address,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
    }));
    return { items };
  }

  /** Creates the device a discovered MAC belongs to (in this account), and forgets the discovery. */
  async claim(caller: Caller, accountId: string, id: string, input: ClaimDevice) {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const seen = await repo.discoveredById(this.deps.db, accountId, id);
    if (!seen || seen.dismissed_at) throw new NotFound('discovered device');
    const vendor = seen.vendor as Parameters<Devices['create']>[2]['vendor'];
    const model = input.model ?? (seen.model || 'unknown');
    const device = await this.deps.devices.create(caller, accountId, { mac: seen.mac, vendor, model, label: input.label, lines: input.lines });
    await repo.deleteDiscovered(this.deps.db, id);
    return device;
  }

  async dismiss(caller: Caller, accountId: string, id: string): Promise<void> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const seen = await repo.discoveredById(this.deps.db, accountId, id);
    if (!seen || seen.dismissed_at) throw new NotFound('discovered device');
    await repo.dismissDiscovered(this.deps.db, id, this.now());
  }

  /** Bans of sources that guessed with this account's key (operator: `accountId` undefined lists all). */
  async bans(caller: Caller, accountId?: string) {
    if (accountId === undefined) this.operatorOnly(caller);
    else await reachAccount(this.deps.db, caller, accountId, 'manage');
    const rows = await repo.activeBans(this.deps.db, this.now(), accountId);
    const items = rows.map((r) => ({
      address: r.address,
      accountId: r.account_id,
      reason: r.reason,
      bannedUntil: r.banned_until.toISOString(),
      createdAt: r.created_at.toISOString(),
    }));
    return { items };
  }

  async liftBan(caller: Caller, address: string, accountId?: string): Promise<void> {
    if (accountId === undefined) this.operatorOnly(caller);
    else await reachAccount(this.deps.db, caller, accountId, 'manage');
    if (!(await repo.liftBan(this.deps.db, address, accountId))) throw new NotFound('ban');
    this.deps.lookups.lifted(address);
    await recordAudit(this.deps.db, caller, { accountId: accountId ?? null, entity: 'provisioning_ban', entityId: address, action: 'lift' });
  }

  private operatorOnly(caller: Caller): void {
    if (caller.role !== 'operator') throw new Forbidden('only the operator manages bans of sources without a valid key');
  }

  private async reachDevice(caller: Caller, accountId: string, deviceId: string): Promise<void> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    await this.deps.devices.get(caller, accountId, deviceId);
  }

  private storeKey(db: Database, accountId: string) {
    const key = newKey();
    return repo.storeKey(db, accountId, this.deps.hasher.hash(key), this.deps.box.seal(key));
  }

  private shape(row: { key_enc: string; allow: string[]; rotated_at: Date }): AccountProvisioning {
    return { url: `${this.deps.baseUrl()}/p/${this.deps.box.open(row.key_enc)}/`, allow: row.allow, rotatedAt: row.rotated_at.toISOString() };
  }

  private deviceShape(row: DeviceProvisioningRow): DeviceProvisioning {
    return {
      deviceId: row.device_id,
      language: row.language,
      codecs: row.codecs as DeviceProvisioning['codecs'],
      functionKeys: row.function_keys as DeviceProvisioning['functionKeys'],
      lines: row.line_labels as DeviceProvisioning['lines'],
      adminPassword: this.deps.box.open(row.admin_password_enc),
      httpUser: row.http_user,
      httpPassword: row.http_password_enc ? this.deps.box.open(row.http_password_enc) : null,
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

function withoutSecrets(shape: DeviceProvisioning) {
  const { adminPassword: _admin, httpPassword: _http, ...rest } = shape;
  return rest;
}
