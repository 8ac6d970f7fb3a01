// The audit of provisioning fetches, written in batches: one insert per up to
// 2,000 requests instead of one per request, so auditing every fetch does
// not halve what the listener can serve. Flushed every second, when full, on
// demand (before the API lists fetches) and on shutdown.
import type { Insertable } from 'kysely';
import type { Database, ProvisioningFetchTable } from '../db/index.js';
import * as repo from './provisioning.repository.js';

export type FetchRecord = Insertable<ProvisioningFetchTable>;

export class FetchLog {
  private pending: FetchRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { db: Database; onError: (error: unknown) => void; intervalMs?: number; batch?: number }) {}

  record(row: FetchRecord): void {
    // the timer starts with the first fetch: a process that serves none (the CLI) has none
    if (!this.timer) {
      this.timer = setInterval(() => void this.flush(), this.deps.intervalMs ?? 1000);
      this.timer.unref();
    }
    this.pending.push(row);
    if (this.pending.length >= (this.deps.batch ?? 2000)) void this.flush();
  }

  /** Writes everything recorded so far; resolves when it is in the database. */
  flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    if (!rows.length) return this.writing;
    this.writing = this.writing.then(() => repo.insertFetches(this.deps.db, rows)).catch(this.deps.onError);
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
