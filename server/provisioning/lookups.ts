// What provisioning requests are answered from, kept per process: a snapshot
// of every account key and every device (with what its files are rendered
// from), loaded in one go and looked up in memory — the same work for every
// request, right or wrong, and no database read per request even when
// thousands of phones boot at once. A change made through this process
// (devices, subaccounts, accounts, provisioning settings, keys) marks the
// snapshot stale: the next request waits for a fresh one. Changes made
// elsewhere apply within `ttlSeconds` (reloaded in the background while the
// old one keeps answering). Bans are re-read every 2 s, as the SIP edge does.
// ttlSeconds 0: no snapshot, every request reads the database.
import type { Database } from '../db/index.js';
import { type DeviceSnapshotRow, type KeyRow, type LookupRow, type RenderRow, activeBanTimes, loadAll, lookup } from './lookup.repository.js';
import type { RenderedFile } from './vendors.js';

export interface LookupEntry {
  row: LookupRow;
  /** the device's files, rendered once per snapshot */
  files?: Map<string, RenderedFile>;
}

interface SnapshotDevice extends DeviceSnapshotRow {
  /** what the files depend on: the render row and the account's key */
  version: string;
  entry?: LookupEntry;
  /** files rendered by the previous snapshot from the same version */
  carried?: Map<string, RenderedFile>;
}

interface Snapshot {
  keys: Map<string, KeyRow>;
  keyOfAccount: Map<string, KeyRow>;
  devices: Map<string, SnapshotDevice>;
  loadedAt: number;
  generation: number;
}

export class Lookups {
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;
  private bans = new Map<string, number>();
  private refresher: NodeJS.Timeout | undefined;
  /** bumped by invalidate(): a snapshot loaded from before a change is not fresh */
  private generation = 0;

  constructor(private readonly deps: { db: Database; ttlSeconds: number; onError: (error: unknown) => void }) {}

  async start(refreshMs = 2000): Promise<void> {
    await this.refreshBans(new Date());
    this.refresher = setInterval(() => void this.refreshBans(new Date()).catch(this.deps.onError), refreshMs);
    this.refresher.unref();
  }

  stop(): void {
    clearInterval(this.refresher);
  }

  async get(keyHash: string, mac: string, now: Date): Promise<LookupEntry> {
    if (this.deps.ttlSeconds === 0) return { row: await lookup(this.deps.db, { keyHash, mac }) };
    const snap = await this.current(now);
    const key = snap.keys.get(keyHash);
    const device = mac ? snap.devices.get(mac) : undefined;
    const deviceKey = device ? snap.keyOfAccount.get(device.account_id) : undefined;
    const owns = Boolean(device && key && key.account_id === device.account_id);
    if (owns && device!.entry) return device!.entry; // the common case: a known device, its files already rendered
    const row: LookupRow = {
      key_account_id: key?.account_id ?? null,
      key_allow: key?.allow ?? null,
      device_id: device?.id ?? null,
      device_account_id: device?.account_id ?? null,
      device_vendor: device?.vendor ?? null,
      device_key_hash: deviceKey?.key_hash ?? null,
      device_allow: deviceKey?.allow ?? null,
      render: owns ? device!.render : null,
      key_account: key && !mac ? { realm: key.realm, timezone: key.timezone, status: key.status } : null,
    };
    // the one entry per device that can be served keeps its rendered files
    return owns ? (device!.entry ??= { row, ...(device!.carried ? { files: device!.carried } : {}) }) : { row };
  }

  /** Something the snapshot holds has changed: the next request waits for a fresh one. */
  invalidate(): void {
    this.generation += 1;
  }

  isBanned(address: string, now: Date): boolean {
    return (this.bans.get(address) ?? 0) > now.getTime();
  }

  banned(address: string, until: Date): void {
    this.bans.set(address, until.getTime());
  }

  lifted(address: string): void {
    this.bans.delete(address);
  }

  private async current(now: Date): Promise<Snapshot> {
    const snap = this.snapshot;
    if (snap && snap.generation === this.generation) {
      if (now.getTime() - snap.loadedAt >= this.deps.ttlSeconds * 1000 && !this.loading) void this.reload().catch(this.deps.onError);
      return snap;
    }
    // stale after a change: wait, and load again if another change lands meanwhile
    let fresh = await (this.loading ?? this.reload());
    while (fresh.generation !== this.generation) fresh = await (this.loading ?? this.reload());
    return fresh;
  }

  private reload(): Promise<Snapshot> {
    const generation = this.generation;
    const started = Date.now();
    this.loading = loadAll(this.deps.db)
      .then(({ keys, devices }) => {
        const keyOfAccount = new Map(keys.map((k) => [k.account_id, k]));
        const snap: Snapshot = {
          keys: new Map(keys.map((k) => [k.key_hash, k])),
          keyOfAccount,
          devices: this.carryOver(devices, keyOfAccount),
          loadedAt: started,
          generation,
        };
        if (generation === this.generation || !this.snapshot) this.snapshot = snap;
        return snap;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Keeps the files of devices whose rows and key did not change, so a reload does not re-render every device. */
  private carryOver(rows: DeviceSnapshotRow[], keyOfAccount: Map<string, KeyRow>): Map<string, SnapshotDevice> {
    const before = this.snapshot?.devices;
    const keysBefore = this.snapshot?.keyOfAccount;
    const devices = new Map<string, SnapshotDevice>();
    for (const row of rows) {
      const version = versionOf(keyOfAccount.get(row.account_id), row.render);
      const old = before?.get(row.mac);
      // a device served from the old snapshot may have had its settings made on that first fetch: compare what it was rendered from
      const oldVersion = old?.entry ? versionOf(keysBefore?.get(old.account_id), old.render) : old?.version;
      const carried = oldVersion === version && old?.id === row.id ? (old.entry?.files ?? old.carried) : undefined;
      devices.set(row.mac, carried ? { ...row, version, carried } : { ...row, version });
    }
    return devices;
  }

  private async refreshBans(now: Date): Promise<void> {
    this.bans = await activeBanTimes(this.deps.db, now);
  }
}

/**
 * What a device's files depend on: its account's key and its render row, settings reduced to what rendering reads (the
 * settings made by a first fetch come back from the database with timestamps and in another shape).
 */
function versionOf(key: KeyRow | undefined, render: RenderRow | null): string {
  const settings = render?.settings;
  const rendered = settings && [settings.admin_password_enc, settings.http_user, settings.http_password_enc, settings.language, settings.codecs, settings.function_keys, settings.line_labels];
  return `${key?.key_hash ?? ''}${JSON.stringify(render && { ...render, settings: rendered })}`;
}
