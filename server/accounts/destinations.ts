// Where calls go: a number rings a destination (routing's `Destination`), and
// so do hunt-group fallbacks, IVR keys and schedule branches. Destinations are
// stored as three columns — kind, id, e164 — mapped here once. Most kinds live
// in the call-flows feature, which builds on this one; so this feature only
// declares what it needs to know of them (RoutingTargets) and the composition
// root hands it the implementation (dependencies point inward).
import type { AccountRow, Database, DestinationKindColumn } from '../db/index.js';
import type { Destination } from '../routing/index.js';

export interface DestinationColumns {
  kind: DestinationKindColumn | null;
  id: string | null;
  e164: string | null;
}

export function destinationColumns(destination: Destination | null): DestinationColumns {
  if (!destination) return { kind: null, id: null, e164: null };
  if (destination.kind === 'number') return { kind: 'number', id: null, e164: destination.e164 };
  return { kind: destination.kind, id: destination.id, e164: null };
}

/** The destination stored in `kind`/`id`/`e164` columns; null when none is. */
export function destinationFrom(kind: DestinationKindColumn | null, id: string | null, e164: string | null): Destination | null {
  if (kind === null) return null;
  if (kind === 'number') return { kind, e164: e164 ?? '' };
  return { kind, id: id ?? '' };
}

/** Something a call can be routed to, by id: what a delete asks about. */
export type RoutedEntity = { kind: 'subaccount' | 'hunt_group' | 'ivr_menu' | 'schedule'; id: string };

/** What the accounts feature needs to know of destinations kept by other features. */
export interface RoutingTargets {
  /** Why `destination` cannot be used in the account (the message of a 400), or undefined when it can. */
  problemWith(db: Database, account: AccountRow, destination: Destination): Promise<string | undefined>;
  /** What still routes to `entity` in the account, for a 409 (`number +442079460100`, `hunt group Sales`); empty when nothing does. */
  routingTo(db: Database, accountId: string, entity: RoutedEntity): Promise<string[]>;
  /** What in the account forwards to the number `e164` (a number, a hunt-group member, an IVR key…), for a 409; empty when nothing does. */
  forwardingTo(db: Database, accountId: string, e164: string): Promise<string[]>;
  /** Extensions of the account held by something other than a subaccount (hunt groups), with what holds each. */
  otherExtensions(db: Database, accountId: string): Promise<Map<string, string>>;
}

/** The request field naming what is wrong with a destination at `at`: `destination.id` or `destination.e164`. */
export const destinationField = (at: string, destination: Destination) => `${at}.${destination.kind === 'number' ? 'e164' : 'id'}`;
