// What a provisioning request looks up, kept per process: the lookup row for a
// (key HMAC, MAC) pair — found or not, so a repeated miss costs what a repeated
// hit costs — with the files rendered from it, and the banned addresses. The
// rows are dropped on every change made through this process (devices,
// subaccounts, accounts, provisioning settings, keys) and live at most
// `ttlSeconds` for changes made elsewhere; bans are re-read every 2 s, as the
// SIP edge does. ttlSeconds 0: every request reads the database.
import type { Database } from '../db/index.js';
import { type LookupRow, activeBanTimes, lookup } from './lookup.repository.js';
import type { RenderedFile } from './vendors.js';

export interface LookupEntry {
  row: LookupRow;
  expires: number;
  /** the device's files, rendered once per entry */
  files?: Map<string, RenderedFile>;
}

const MAX_ENTRIES = 50_000;

export class Lookups {
  private entries = new Map<string, LookupEntry>();
  private bans = new Map<string, number>();
  /** bumped by invalidate(): a lookup that started before a change is not kept after it */
  private generation = 0;
  private refresher: NodeJS.Timeout | undefined;

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
    const id = `${keyHash}|${mac}`;
    const cached = this.entries.get(id);
    if (cached && cached.expires > now.getTime()) return cached;
    const generation = this.generation;
    const entry = { row: await lookup(this.deps.db, { keyHash, mac }), expires: now.getTime() + this.deps.ttlSeconds * 1000 };
    if (this.deps.ttlSeconds > 0 && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries = new Map();
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** Something a lookup reads has changed: forget every row. */
  invalidate(): void {
    this.generation += 1;
    this.entries = new Map();
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

  private async refreshBans(now: Date): Promise<void> {
    this.bans = await activeBanTimes(this.deps.db, now);
  }
}
