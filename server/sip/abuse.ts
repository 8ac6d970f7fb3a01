// Abuse protection at the SIP edge: scanner user agents are dropped without a
// word; a source sending too fast or failing authentication too often is banned,
// and a banned source hears nothing. Bans live in the database (every process
// enforces them, the API lists and lifts them); each process keeps a cache of
// them, refreshed every few seconds, and its own request-rate window.
import { type AddressList, addressList } from '../addresses.js';
import type { Database } from '../db/index.js';
import { registrationRepository as repo } from '../registrations/index.js';

export interface AbuseSettings {
  scannerAgents: string[];
  /** more than `requests` in `seconds` from one address → ban */
  rate: { requests: number; seconds: number };
  /** `failures` failed authentications in `seconds` → ban */
  authFailures: { failures: number; seconds: number };
  banSeconds: number;
  /** addresses or CIDR blocks never banned */
  allow: string[];
}

export type Verdict = 'pass' | 'drop';

export class AbuseGuard {
  private readonly allow: AddressList;
  private bans = new Map<string, number>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  private refresher: NodeJS.Timeout | undefined;
  private readonly scanners: string[];

  constructor(
    private readonly deps: {
      db: Database;
      settings: AbuseSettings;
      now?: () => Date;
      onBan?: (address: string, reason: string) => void;
      /** sources never screened: FreeSWITCH, carrier trunks */
      trusted?: (address: string) => boolean;
    },
  ) {
    this.allow = addressList(deps.settings.allow);
    this.scanners = deps.settings.scannerAgents.map((a) => a.toLowerCase());
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async start(refreshMs = 2000): Promise<void> {
    await this.refreshBans();
    this.refresher = setInterval(() => void this.refreshBans().catch(() => undefined), refreshMs);
    this.refresher.unref();
  }

  stop(): void {
    clearInterval(this.refresher);
  }

  isScanner(userAgent: string | undefined): boolean {
    const ua = (userAgent ?? '').toLowerCase();
    return ua !== '' && this.scanners.some((s) => ua.includes(s));
  }

  /** Decides what to do with a request from `address` before anything else looks at it. */
  async screen(address: string, userAgent: string | undefined): Promise<Verdict> {
    return this.verdict(address, userAgent);
  }

  /**
   * The same decision without a promise when there is nothing to write — every
   * request but the one that gets its source banned — so the SIP edge passes
   * a request on in the same turn it arrived.
   */
  verdict(address: string, userAgent: string | undefined): Verdict | Promise<Verdict> {
    if (this.isAllowed(address)) return 'pass';
    if (this.isScanner(userAgent)) return 'drop';
    const until = this.bans.get(address);
    const now = this.now().getTime();
    if (until !== undefined && until > now) return 'drop';
    if (this.overRate(address, now)) {
      return this.ban(address, `more than ${this.deps.settings.rate.requests} requests in ${this.deps.settings.rate.seconds} s`).then(() => 'drop');
    }
    return 'pass';
  }

  async authFailed(address: string): Promise<void> {
    if (this.isAllowed(address)) return;
    const { failures, seconds } = this.deps.settings.authFailures;
    const count = await repo.recordAuthFailure(this.deps.db, address, this.now(), seconds);
    if (count >= failures) await this.ban(address, `${count} failed authentications in ${seconds} s`);
  }

  isBanned(address: string): boolean {
    return (this.bans.get(address) ?? 0) > this.now().getTime();
  }

  private isAllowed(address: string): boolean {
    return this.deps.trusted?.(address) === true || this.allow.has(address);
  }

  private overRate(address: string, now: number): boolean {
    const { requests, seconds } = this.deps.settings.rate;
    const window = this.windows.get(address);
    if (!window || now - window.start >= seconds * 1000) {
      this.windows.set(address, { start: now, count: 1 });
      if (this.windows.size > 100_000) this.forgetOldWindows(now);
      return false;
    }
    window.count += 1;
    return window.count > requests;
  }

  private forgetOldWindows(now: number): void {
    const horizon = this.deps.settings.rate.seconds * 1000;
    for (const [address, w] of this.windows) if (now - w.start >= horizon) this.windows.delete(address);
  }

  private async ban(address: string, reason: string): Promise<void> {
    const until = new Date(this.now().getTime() + this.deps.settings.banSeconds * 1000);
    this.bans.set(address, until.getTime());
    await repo.insertBan(this.deps.db, address, reason, until);
    this.deps.onBan?.(address, reason);
  }

  private async refreshBans(): Promise<void> {
    const rows = await repo.activeBans(this.deps.db, this.now());
    this.bans = new Map(rows.map((r) => [r.address, r.banned_until.getTime()]));
  }
}
