// The routing directory built from the database: every account, subaccount,
// DID, hunt group, IVR menu and schedule as routing's plain-data snapshot.
// loadDirectory reads the whole system in one consistent snapshot; the switch
// reads it through DirectoryCache, which the API's services invalidate after
// each committed change and which otherwise rebuilds at most every N seconds
// (for changes made by other processes: the CLI, a second control plane).
import type { AccountEntry, DirectorySnapshot, SubaccountEntry } from '../routing/index.js';
import { Directory } from '../routing/index.js';
import { chargingPlan } from '../billing/index.js';
import { destinationFrom, subaccountSchemas } from '../accounts/index.js';
import type { Database } from '../db/index.js';
import { scopedCallFlows } from './call-flow.repository.js';
import * as rows from './directory.repository.js';
import { huntGroupOf } from './hunt-group.schemas.js';
import { ivrMenuOf } from './ivr-menu.schemas.js';
import { scheduleOf } from './schedule.schemas.js';

type SubaccountRow = Awaited<ReturnType<typeof rows.subaccountRows>>[number];

function subaccountEntry(row: SubaccountRow): SubaccountEntry {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    name: row.name,
    extension: row.extension,
    networkNumber: row.network_number,
    callerIdName: row.caller_id_name,
    callerIdNumber: row.caller_id_number,
    chargingPlan: row.charging_plan ? chargingPlan.parse(row.charging_plan) : null,
    conference:
      row.kind === 'conference'
        ? { maxParticipants: row.conference_max_participants ?? subaccountSchemas.DEFAULT_MAX_PARTICIPANTS, hasModeratorPin: Boolean(row.has_moderator_pin) }
        : null,
  };
}

/**
 * The snapshot of the whole system, or of one account (`accountId`), read with
 * `db` as it is. The whole system's leaves out suspended and closed accounts
 * with everything in them: their numbers, users and call flows route no call
 * (the SIP edge already refuses their phones' registrations). One account's
 * (what the API checks a change against) keeps them.
 */
export async function directorySnapshot(db: Database, accountId?: string): Promise<DirectorySnapshot> {
  const snapshot = await fullSnapshot(db, accountId);
  return accountId ? snapshot : withActiveAccountsOnly(snapshot, await rows.inactiveAccountIds(db));
}

function withActiveAccountsOnly(s: DirectorySnapshot, inactive: Set<string>): DirectorySnapshot {
  if (inactive.size === 0) return s;
  const active = <T extends { accountId: string }>(items: readonly T[]) => items.filter((i) => !inactive.has(i.accountId));
  return {
    accounts: s.accounts.filter((a) => !inactive.has(a.id)),
    subaccounts: active(s.subaccounts),
    numbers: active(s.numbers),
    huntGroups: active(s.huntGroups),
    ivrMenus: active(s.ivrMenus),
    schedules: active(s.schedules),
  };
}

async function fullSnapshot(db: Database, accountId?: string): Promise<DirectorySnapshot> {
  const scope = { accountId };
  const [accounts, subaccounts, numbers, hunts, menus, schedules] = await Promise.all([
    rows.accountRows(db, scope),
    rows.subaccountRows(db, scope),
    rows.numberRows(db, scope),
    scopedCallFlows(db, 'hunt_groups', accountId),
    scopedCallFlows(db, 'ivr_menus', accountId),
    scopedCallFlows(db, 'schedules', accountId),
  ]);
  return {
    accounts: accounts.map(
      (a): AccountEntry => ({
        id: a.id,
        country: a.country,
        timezone: a.timezone,
        callerIdPrivacy: a.caller_id_privacy,
        localPrefixes: a.local_prefixes,
      }),
    ),
    subaccounts: subaccounts.map(subaccountEntry),
    numbers: numbers.map((n) => ({
      e164: n.e164,
      accountId: n.account_id,
      destination: destinationFrom(n.destination_kind, n.destination_id, n.destination_e164),
    })),
    huntGroups: hunts.rows.map((g) => huntGroupOf(g, hunts.children.get(g.id) ?? [])),
    ivrMenus: menus.rows.map((m) => ivrMenuOf(m, menus.children.get(m.id) ?? [])),
    schedules: schedules.rows.map((s) => scheduleOf(s, schedules.children.get(s.id) ?? [])),
  };
}

/** The directory of the whole system, read in one transaction so that every table shows the same moment. */
export async function loadDirectory(db: Database): Promise<Directory> {
  const snapshot = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => directorySnapshot(trx));
  return new Directory(snapshot);
}

export interface DirectoryCacheOptions {
  /** a directory older than this is rebuilt on the next get() */
  ttlSeconds: number;
  /** milliseconds; injected for tests */
  now?: () => number;
}

/** How many TTLs old a directory may be served while it is rebuilt in the background. */
const STALE_TTLS = 3;

interface Built {
  directory: Directory;
  builtAt: number;
  generation: number;
}

/**
 * The directory calls are routed with. get() answers the cached one while it is
 * younger than the TTL and nothing was invalidated since it was read. Past the
 * TTL it still answers it at once and rebuilds in the background (the TTL only
 * bounds how long changes made by other processes take), so calls never wait
 * for a periodic rebuild; after an invalidation (a change through this
 * process), or once the directory is STALE_TTLS times the TTL old (rebuilds
 * kept failing), get() waits for a fresh one, built once for all the callers
 * waiting. A failed rebuild that a caller waits for is that caller's error
 * (the switch refuses the call), and the next get() tries again.
 */
export class DirectoryCache {
  private built: Built | undefined;
  private building: { promise: Promise<Directory>; generation: number } | undefined;
  /** bumped by invalidate(): a directory read before the bump is stale */
  private generation = 0;

  constructor(
    private readonly load: () => Promise<Directory>,
    private readonly options: DirectoryCacheOptions,
  ) {}

  get(): Promise<Directory> {
    const current = this.current();
    if (current) return Promise.resolve(current);
    return this.buildingNow() ?? this.rebuild();
  }

  /** What get() answers without waiting (starting a background rebuild past the TTL); undefined when get() would wait. */
  current(): Directory | undefined {
    const built = this.built;
    if (!built || built.generation !== this.generation) return undefined;
    const age = this.now() - built.builtAt;
    const ttl = this.options.ttlSeconds * 1000;
    if (age < ttl) return built.directory;
    if (age >= ttl * STALE_TTLS) return undefined;
    // nobody waits for it: a failure leaves the current one, and the next get() tries again
    if (!this.buildingNow()) this.rebuild().catch(() => undefined);
    return built.directory;
  }

  /** The rebuild under way for the current generation, if any. */
  private buildingNow(): Promise<Directory> | undefined {
    return this.building && this.building.generation === this.generation ? this.building.promise : undefined;
  }

  private readonly listeners: (() => void)[] = [];

  /** Something routing reads has changed: the next get() rebuilds. */
  invalidate(): void {
    this.generation += 1;
    for (const listener of this.listeners) listener();
  }

  /** Other per-process caches of what routing reads (the SIP edge's identities) are dropped with this one. */
  onInvalidate(listener: () => void): void {
    this.listeners.push(listener);
  }

  private rebuild(): Promise<Directory> {
    const generation = this.generation;
    const startedAt = this.now();
    const promise = this.load()
      .then((directory) => {
        if (!this.built || this.built.generation <= generation) this.built = { directory, builtAt: startedAt, generation };
        return directory;
      })
      .finally(() => {
        if (this.building?.promise === promise) this.building = undefined;
      });
    this.building = { promise, generation };
    return promise;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
