// What the API checks before it saves a call flow, as pure functions over the
// account's routing directory: destinations that exist in the account, hunt
// members that can ring, chains that lead back to where they started, and IVR
// menus that trap callers (routing's validateMenus).
import { toE164 } from '../accounts/index.js';
import {
  type Destination,
  type DestinationKind,
  Directory,
  type DirectorySnapshot,
  type HuntGroup,
  type HuntMember,
  type IvrMenu,
  type MenuError,
  type Schedule,
  destinationError,
  validateMenus,
} from '../routing/index.js';

export interface Problem {
  field: string;
  message: string;
}

interface AccountFacts {
  id: string;
  country: string;
}

/** A forward or an external member: a real number, written in E.164 exactly. */
function numberProblem(e164: string, country: string): string | undefined {
  const valid = toE164(e164, country);
  if (!valid) return 'not a valid phone number';
  return valid === e164 ? undefined : `write it as ${valid}`;
}

/** Why the account cannot route to `destination`, or undefined when it can. */
export function destinationProblem(directory: Directory, account: AccountFacts, destination: Destination): string | undefined {
  if (destination.kind === 'number') return numberProblem(destination.e164, account.country);
  const error = destinationError({ accountId: account.id, directory, menus: new Map() }, destination);
  return error?.startsWith('no such') ? `${error} in this account` : error;
}

function subaccountMemberProblem(directory: Directory, accountId: string, id: string): string | undefined {
  const sub = directory.subaccount(id);
  if (!sub || sub.accountId !== accountId) return 'no such subaccount in this account';
  return sub.conference ? 'a conference subaccount cannot be rung by a hunt group' : undefined;
}

/** The first member that cannot ring: not a phone subaccount of the account, not a valid number, or listed twice. */
export function memberProblem(directory: Directory, account: AccountFacts, members: readonly HuntMember[]): Problem | undefined {
  const seen = new Set<string>();
  for (const [i, member] of members.entries()) {
    const value = member.kind === 'subaccount' ? member.id : member.e164;
    const field = `members.${i}.${member.kind === 'subaccount' ? 'id' : 'e164'}`;
    if (seen.has(value)) return { field, message: 'listed twice' };
    seen.add(value);
    const message =
      member.kind === 'subaccount'
        ? subaccountMemberProblem(directory, account.id, member.id)
        : numberProblem(member.e164, account.country);
    if (message) return { field, message };
  }
  return undefined;
}

type Onward<K extends DestinationKind> = (directory: Directory, d: Extract<Destination, { kind: K }>) => Destination[];

/** Where routing goes on from a destination without asking the caller anything. */
const ONWARD: { [K in DestinationKind]: Onward<K> } = {
  subaccount: () => [],
  conference: () => [],
  ivr_menu: () => [], // a menu waits for the caller: validateMenus judges menus
  hunt_group: (directory, d) => {
    const fallback = directory.huntGroup(d.id)?.fallback;
    return fallback ? [fallback] : [];
  },
  schedule: (directory, d) => {
    const schedule = directory.schedule(d.id);
    return schedule ? [schedule.open, schedule.closed] : [];
  },
  number: (directory, d) => {
    const did = directory.number(d.e164)?.destination;
    return did ? [did] : [];
  },
};

const onward = (directory: Directory, d: Destination) => (ONWARD[d.kind] as Onward<typeof d.kind>)(directory, d);
const keyOf = (d: Destination) => (d.kind === 'number' ? `number:${d.e164}` : `${d.kind}:${d.id}`);

type Namer<K extends DestinationKind> = (directory: Directory, d: Extract<Destination, { kind: K }>) => string;

const NAMED: { [K in DestinationKind]: Namer<K> } = {
  subaccount: (directory, d) => `subaccount ${directory.subaccount(d.id)?.name ?? d.id}`,
  conference: (directory, d) => `conference ${directory.subaccount(d.id)?.name ?? d.id}`,
  hunt_group: (directory, d) => `hunt group ${directory.huntGroup(d.id)?.name ?? d.id}`,
  ivr_menu: (directory, d) => `IVR menu ${directory.ivrMenu(d.id)?.name ?? d.id}`,
  schedule: (directory, d) => `schedule ${directory.schedule(d.id)?.name ?? d.id}`,
  number: (_directory, d) => `number ${d.e164}`,
};

/** "hunt group Sales", "number +447400123456": how a destination is named in a message. */
export const described = (directory: Directory, d: Destination) => (NAMED[d.kind] as Namer<typeof d.kind>)(directory, d);

/**
 * The chain of destinations by which a call sent from `self` to `start` comes
 * back to `self` with nobody asked (through hunt fallbacks, schedule branches
 * and DIDs), described; undefined when there is none. Routing would refuse
 * such calls as a loop; the API refuses to save them.
 */
export function chainBack(directory: Directory, self: Destination, start: Destination): string[] | undefined {
  const target = keyOf(self);
  const seen = new Set<string>();
  const walk = (d: Destination, path: readonly Destination[]): Destination[] | undefined => {
    if (keyOf(d) === target) return [...path, d];
    if (seen.has(keyOf(d))) return undefined;
    seen.add(keyOf(d));
    for (const next of onward(directory, d)) {
      const found = walk(next, [...path, d]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [self])?.map((d) => described(directory, d));
}

/** The snapshot with one call flow added or replaced: what the account would look like after the change. */
export function snapshotWith(
  snapshot: DirectorySnapshot,
  change: { huntGroup?: HuntGroup; ivrMenu?: IvrMenu; schedule?: Schedule },
): DirectorySnapshot {
  const replaced = <T extends { id: string }>(list: readonly T[], item: T | undefined) =>
    item ? [...list.filter((x) => x.id !== item.id), item] : list;
  return {
    ...snapshot,
    huntGroups: replaced(snapshot.huntGroups, change.huntGroup),
    ivrMenus: replaced(snapshot.ivrMenus, change.ivrMenu),
    schedules: replaced(snapshot.schedules, change.schedule),
  };
}

/** Errors routing's validateMenus finds in the account after a change that it did not find before. */
export function menuErrorsIntroduced(before: DirectorySnapshot, after: DirectorySnapshot, accountId: string): MenuError[] {
  const errors = (s: DirectorySnapshot) =>
    validateMenus(s.ivrMenus.filter((m) => m.accountId === accountId), accountId, new Directory(s));
  const found = errors(after);
  if (found.length === 0) return [];
  const known = new Set(errors(before).map((e) => `${e.menuId} ${e.field}`));
  return found.filter((e) => !known.has(`${e.menuId} ${e.field}`));
}
