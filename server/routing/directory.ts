// The plain-data snapshot routing reads: accounts, subaccounts, numbers, hunt
// groups, IVR menus and schedules, as the switch loads them from the database
// and caches them. Built once from arrays into maps so every lookup a routing
// decision makes is O(1); it checks the uniqueness the database guarantees.
import type { ChargingPlan } from '../billing/index.js';
import { Conflict } from '../errors.js';
import type { CallerIdPrivacy, Destination, HuntGroup, IvrMenu, Schedule } from './routing.schemas.js';

export interface AccountEntry {
  id: string;
  /** ISO 3166 code: how numbers dialed without + are read. */
  country: string;
  /** IANA timezone: office hours are local to it. */
  timezone: string;
  callerIdPrivacy: CallerIdPrivacy;
  /** E.164 prefixes that count as local calls (e.g. '+4420'); same-country fixed lines elsewhere are national. */
  localPrefixes: readonly string[];
}

export interface ConferenceSettings {
  maxParticipants: number;
  /** The PIN itself stays with the switch; routing only says whether moderators exist. */
  hasModeratorPin: boolean;
}

export interface SubaccountEntry {
  id: string;
  accountId: string;
  kind: 'phone' | 'conference';
  name: string;
  extension: string;
  networkNumber: string;
  callerIdName: string | null;
  callerIdNumber: string | null;
  /** null: on-net calls and incoming calls only (see docs/routing.md). */
  chargingPlan: ChargingPlan | null;
  /** Set for conference subaccounts. */
  conference: ConferenceSettings | null;
}

export interface NumberEntry {
  e164: string;
  accountId: string;
  /** null: owned but not routed anywhere yet — callers hear "unallocated". */
  destination: Destination | null;
}

export interface DirectorySnapshot {
  accounts: readonly AccountEntry[];
  subaccounts: readonly SubaccountEntry[];
  numbers: readonly NumberEntry[];
  huntGroups: readonly HuntGroup[];
  ivrMenus: readonly IvrMenu[];
  schedules: readonly Schedule[];
}

function indexBy<T>(rows: readonly T[], key: (row: T) => string, field: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    if (map.has(k)) throw new Conflict(field, `${field} ${k} appears twice in the directory`);
    map.set(k, row);
  }
  return map;
}

export class Directory {
  private readonly accounts: Map<string, AccountEntry>;
  private readonly subaccounts: Map<string, SubaccountEntry>;
  private readonly extensions = new Map<string, Map<string, SubaccountEntry>>();
  private readonly networkNumbers: Map<string, SubaccountEntry>;
  private readonly numbers: Map<string, NumberEntry>;
  private readonly primaryNumbers = new Map<string, string>();
  private readonly huntGroups: Map<string, HuntGroup>;
  private readonly huntExtensions = new Map<string, Map<string, HuntGroup>>();
  private readonly ivrMenus: Map<string, IvrMenu>;
  private readonly schedules: Map<string, Schedule>;

  constructor(snapshot: DirectorySnapshot) {
    this.accounts = indexBy(snapshot.accounts, (a) => a.id, 'account id');
    this.subaccounts = indexBy(snapshot.subaccounts, (s) => s.id, 'subaccount id');
    this.networkNumbers = indexBy(snapshot.subaccounts, (s) => s.networkNumber, 'networkNumber');
    this.numbers = indexBy(snapshot.numbers, (n) => n.e164, 'number');
    this.huntGroups = indexBy(snapshot.huntGroups, (h) => h.id, 'hunt group id');
    this.ivrMenus = indexBy(snapshot.ivrMenus, (m) => m.id, 'IVR menu id');
    this.schedules = indexBy(snapshot.schedules, (s) => s.id, 'schedule id');
    for (const sub of snapshot.subaccounts) {
      const inAccount = this.extensions.get(sub.accountId) ?? new Map<string, SubaccountEntry>();
      if (inAccount.has(sub.extension)) {
        throw new Conflict('extension', `extension ${sub.extension} appears twice in an account`);
      }
      inAccount.set(sub.extension, sub);
      this.extensions.set(sub.accountId, inAccount);
    }
    for (const group of snapshot.huntGroups) {
      if (!group.extension) continue;
      const inAccount = this.huntExtensions.get(group.accountId) ?? new Map<string, HuntGroup>();
      if (inAccount.has(group.extension) || this.subaccountByExtension(group.accountId, group.extension)) {
        throw new Conflict('extension', `extension ${group.extension} appears twice in an account`);
      }
      inAccount.set(group.extension, group);
      this.huntExtensions.set(group.accountId, inAccount);
    }
    // A subaccount with no caller-ID number of its own shows the first DID that rings it.
    for (const n of snapshot.numbers) {
      if (n.destination?.kind === 'subaccount' && !this.primaryNumbers.has(n.destination.id)) {
        this.primaryNumbers.set(n.destination.id, n.e164);
      }
    }
  }

  account(id: string): AccountEntry | undefined {
    return this.accounts.get(id);
  }

  subaccount(id: string): SubaccountEntry | undefined {
    return this.subaccounts.get(id);
  }

  subaccountByExtension(accountId: string, extension: string): SubaccountEntry | undefined {
    return this.extensions.get(accountId)?.get(extension);
  }

  /** A hunt group dialed by its extension (extensions are shared with subaccounts, which never clash). */
  huntGroupByExtension(accountId: string, extension: string): HuntGroup | undefined {
    return this.huntExtensions.get(accountId)?.get(extension);
  }

  /** What dialing `extension` in the account reaches: a subaccount or a hunt group. */
  extensionDestination(accountId: string, extension: string): Destination | undefined {
    const sub = this.subaccountByExtension(accountId, extension);
    if (sub) return { kind: 'subaccount', id: sub.id };
    const group = this.huntGroupByExtension(accountId, extension);
    return group && { kind: 'hunt_group', id: group.id };
  }

  /** Whether the account has a subaccount or hunt group a caller could dial by extension. */
  hasExtensions(accountId: string): boolean {
    return (this.extensions.get(accountId)?.size ?? 0) + (this.huntExtensions.get(accountId)?.size ?? 0) > 0;
  }

  subaccountByNetworkNumber(networkNumber: string): SubaccountEntry | undefined {
    return this.networkNumbers.get(networkNumber);
  }

  /** A DID on the system, by its E.164 form. */
  number(e164: string): NumberEntry | undefined {
    return this.numbers.get(e164);
  }

  /** The first DID routed straight to this subaccount, for its outgoing caller ID. */
  primaryNumberOf(subaccountId: string): string | undefined {
    return this.primaryNumbers.get(subaccountId);
  }

  huntGroup(id: string): HuntGroup | undefined {
    return this.huntGroups.get(id);
  }

  ivrMenu(id: string): IvrMenu | undefined {
    return this.ivrMenus.get(id);
  }

  schedule(id: string): Schedule | undefined {
    return this.schedules.get(id);
  }
}
