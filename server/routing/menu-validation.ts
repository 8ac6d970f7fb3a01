// What the API checks before it saves IVR menus: every destination exists in
// the menus' own account, and no loop of menus traps callers. A menu has a way
// out when one of its keys, extension dialing or its fallback reaches a
// subaccount, hunt group, conference or number, or a menu that has a way out.
// Menus without one that lead round in a circle are refused: nobody calling
// them can ever reach anyone. A lone announcement (no keys, fallback hangs up)
// is no loop and is fine. Fallbacks that lead round in a circle are refused
// too, even when keys lead out: a caller who never presses one (a fax, a line
// that lost DTMF) would hold the channel for ever.
import type { Directory } from './directory.js';
import type { Destination, DestinationKind, IvrMenu } from './routing.schemas.js';

export interface MenuError {
  menuId: string;
  /** 'accountId', 'fallback', 'options.1', or 'options' for a loop. */
  field: string;
  message: string;
}

const MAX_SCHEDULE_DEPTH = 8;
const MAX_FALLBACK_CHAIN = 32;

interface Lookup {
  accountId: string;
  directory: Directory;
  menus: ReadonlyMap<string, IvrMenu>;
}

type Owned = { accountId: string; kind?: string; conference?: unknown } | undefined;
type OwnerOf<K extends DestinationKind> = (lookup: Lookup, d: Extract<Destination, { kind: K }>) => Owned | 'public';

const OWNERS: { [K in DestinationKind]: OwnerOf<K> } = {
  subaccount: ({ directory }, d) => directory.subaccount(d.id),
  conference: ({ directory }, d) => directory.subaccount(d.id),
  hunt_group: ({ directory }, d) => directory.huntGroup(d.id),
  ivr_menu: ({ directory, menus }, d) => menus.get(d.id) ?? directory.ivrMenu(d.id),
  schedule: ({ directory }, d) => directory.schedule(d.id),
  number: () => 'public',
};

/** Why a destination cannot be used by a menu of `lookup.accountId`; undefined when it can. */
export function destinationError(lookup: Lookup, destination: Destination): string | undefined {
  const owner = (OWNERS[destination.kind] as OwnerOf<typeof destination.kind>)(lookup, destination);
  if (owner === 'public') return undefined;
  const what = destination.kind.replace('_', ' ');
  if (!owner) return `no such ${what}`;
  if (owner.accountId !== lookup.accountId) return `the ${what} belongs to another account`;
  if (destination.kind === 'conference' && !owner.conference) return 'not a conference subaccount';
  return undefined;
}

function destinationsOf(menu: IvrMenu): [string, Destination][] {
  const options = Object.entries(menu.options).map(([key, d]): [string, Destination] => [`options.${key}`, d]);
  return menu.fallback ? [...options, ['fallback', menu.fallback]] : options;
}

/** Errors for menus that point outside their account or trap callers in a loop; empty when all is well. */
export function validateMenus(menus: readonly IvrMenu[], accountId: string, directory: Directory): MenuError[] {
  const lookup: Lookup = { accountId, directory, menus: new Map(menus.map((m) => [m.id, m])) };
  const errors: MenuError[] = [];
  for (const menu of menus) {
    if (menu.accountId !== accountId) {
      errors.push({ menuId: menu.id, field: 'accountId', message: 'the menu belongs to another account' });
    }
    for (const [field, destination] of destinationsOf(menu)) {
      const message = destinationError(lookup, destination);
      if (message) errors.push({ menuId: menu.id, field, message });
    }
  }
  const reachable = reachableMenus(lookup, menus);
  const escaping = escapingMenus(lookup, reachable);
  const trapped = loopingMenus(lookup, [...reachable.values()].filter((m) => !escaping.has(m.id)));
  for (const menu of menus) {
    if (trapped.has(menu.id)) {
      const names = loopFrom(lookup, menu, trapped)
        .map((m) => m.name)
        .join(' → ');
      errors.push({ menuId: menu.id, field: 'options', message: `a loop of menus with no way out: ${names}` });
      continue;
    }
    const silentLoop = fallbackLoop(lookup, menu, []);
    if (silentLoop) {
      const names = silentLoop.map((m) => m.name).join(' → ');
      const message = `a caller who presses nothing goes round for ever: ${names}`;
      errors.push({ menuId: menu.id, field: 'fallback', message });
    }
  }
  return errors;
}

/**
 * The circle a caller who never presses a key goes round — greeting, retries,
 * fallback to the next menu … back to the start — holding a channel for ever.
 * Through schedules both branches count: a circle at night is still one.
 */
function fallbackLoop(lookup: Lookup, menu: IvrMenu, path: readonly IvrMenu[]): IvrMenu[] | undefined {
  const at = path.findIndex((m) => m.id === menu.id);
  if (at >= 0) return [...path.slice(at), menu];
  if (path.length >= MAX_FALLBACK_CHAIN || !menu.fallback) return undefined;
  for (const next of menusBehind(lookup, menu.fallback, 0)) {
    const loop = fallbackLoop(lookup, next, [...path, menu]);
    if (loop) return loop;
  }
  return undefined;
}

/** The menus being saved and every menu of the account they lead to, directly or through schedules. */
function reachableMenus(lookup: Lookup, menus: readonly IvrMenu[]): Map<string, IvrMenu> {
  const found = new Map<string, IvrMenu>();
  const queue = [...menus];
  for (let menu = queue.shift(); menu; menu = queue.shift()) {
    if (found.has(menu.id)) continue;
    found.set(menu.id, menu);
    for (const [, d] of destinationsOf(menu)) queue.push(...menusBehind(lookup, d, 0));
  }
  return found;
}

function menusBehind(lookup: Lookup, d: Destination, depth: number): IvrMenu[] {
  if (d.kind === 'ivr_menu') {
    const menu = lookup.menus.get(d.id) ?? lookup.directory.ivrMenu(d.id);
    return menu && menu.accountId === lookup.accountId ? [menu] : [];
  }
  const schedule = d.kind === 'schedule' ? lookup.directory.schedule(d.id) : undefined;
  if (!schedule || depth >= MAX_SCHEDULE_DEPTH) return [];
  return [...menusBehind(lookup, schedule.open, depth + 1), ...menusBehind(lookup, schedule.closed, depth + 1)];
}

/** Fixpoint: a menu escapes when one of its exits escapes, until nothing changes. */
function escapingMenus(lookup: Lookup, menus: ReadonlyMap<string, IvrMenu>): Set<string> {
  const escaping = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const menu of menus.values()) {
      if (!escaping.has(menu.id) && menuEscapes(lookup, menu, escaping)) {
        escaping.add(menu.id);
        changed = true;
      }
    }
  }
  return escaping;
}

function menuEscapes(lookup: Lookup, menu: IvrMenu, escaping: ReadonlySet<string>): boolean {
  if (menu.allowExtensionDialing && lookup.directory.hasExtensions(menu.accountId)) return true;
  return destinationsOf(menu).some(([, d]) => leadsOut(lookup, d, escaping, 0));
}

/** A schedule leads out only if both its branches do: otherwise callers are trapped at some hours. */
function leadsOut(lookup: Lookup, d: Destination, escaping: ReadonlySet<string>, depth: number): boolean {
  if (destinationError(lookup, d) !== undefined) return false;
  if (d.kind === 'ivr_menu') return escaping.has(d.id);
  if (d.kind !== 'schedule') return true;
  const schedule = lookup.directory.schedule(d.id);
  if (!schedule || depth >= MAX_SCHEDULE_DEPTH) return false;
  return leadsOut(lookup, schedule.open, escaping, depth + 1) && leadsOut(lookup, schedule.closed, escaping, depth + 1);
}

/**
 * Of the menus with no way out, those on a loop or leading into one: peel off
 * menus whose keys lead to no remaining menu (dead ends just hang up) until none is left to peel.
 */
function loopingMenus(lookup: Lookup, trapped: IvrMenu[]): Map<string, IvrMenu> {
  const remaining = new Map(trapped.map((m) => [m.id, m]));
  for (let peeled = true; peeled; ) {
    peeled = false;
    for (const menu of remaining.values()) {
      if (!menusAfter(lookup, menu).some((m) => remaining.has(m.id))) {
        remaining.delete(menu.id);
        peeled = true;
      }
    }
  }
  return remaining;
}

function menusAfter(lookup: Lookup, menu: IvrMenu): IvrMenu[] {
  return destinationsOf(menu).flatMap(([, d]) => menusBehind(lookup, d, 0));
}

/** The trapped menus a caller can wander through from `start`, in the order first met. */
function loopFrom(lookup: Lookup, start: IvrMenu, trapped: ReadonlyMap<string, IvrMenu>): IvrMenu[] {
  const seen = new Map<string, IvrMenu>();
  const queue = [start];
  for (let menu = queue.shift(); menu; menu = queue.shift()) {
    if (seen.has(menu.id) || !trapped.has(menu.id)) continue;
    seen.set(menu.id, menu);
    queue.push(...menusAfter(lookup, menu));
  }
  return [...seen.values()];
}
