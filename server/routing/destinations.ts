// Turning a destination into the steps that reach it. Destinations chain — a
// number to a schedule to a hunt group whose fallback is another number — so
// resolution follows the chain with a depth limit and refuses to visit a
// destination twice (a cycle is a 'routing_loop'). IVR menus stop the chain:
// what a caller presses is resolved later, with `stepsFor` again.
import { type CallClass, type CallDirection, callAllowed } from '../billing/index.js';
import { publicNumber } from './classify.js';
import type { Directory, SubaccountEntry } from './directory.js';
import { huntOrder } from './hunt.js';
import { type HuntTarget, type Reject, type Step, rejection } from './route-plan.js';
import type { Destination, DestinationKind, HuntMember } from './routing.schemas.js';
import { scheduledDestination } from './schedule.js';

const MAX_DEPTH = 8;

export interface CallContext {
  directory: Directory;
  now: Date;
  /** Subaccounts already on a call. */
  busy: ReadonlySet<string>;
  /** Round-robin cursors by hunt group id. */
  huntCursors: ReadonlyMap<string, number>;
  random: () => number;
  /** The class of the call, for the callee's charging plan (asked about an incoming call). */
  class: CallClass;
}

interface Resolution {
  call: CallContext;
  /** The account that owns the destination being resolved. */
  accountId: string;
  /** Destinations already resolved on this chain, as kind:id. */
  path: readonly string[];
}

type Resolver<K extends DestinationKind> = (r: Resolution, d: Extract<Destination, { kind: K }>) => Step[] | Reject;

const RESOLVERS: { [K in DestinationKind]: Resolver<K> } = {
  subaccount: (r, d) => subaccountSteps(r, d.id),
  conference: (r, d) => subaccountSteps(r, d.id, 'conference'),
  hunt_group: huntSteps,
  ivr_menu: (r, d) => {
    const menu = owned(r, r.call.directory.ivrMenu(d.id), 'IVR menu', d.id);
    return isReject(menu) ? menu : [{ kind: 'ivr', menuId: menu.id }];
  },
  schedule: (r, d) => {
    const schedule = owned(r, r.call.directory.schedule(d.id), 'schedule', d.id);
    if (isReject(schedule)) return schedule;
    const account = r.call.directory.account(r.accountId);
    if (!account) return missing('account', r.accountId);
    return resolve(r, scheduledDestination(schedule, account.timezone, r.call.now));
  },
  number: numberSteps,
};

/** The steps that reach `destination`, owned by `accountId`, or why it cannot be reached. */
export function stepsFor(call: CallContext, accountId: string, destination: Destination): Step[] | Reject {
  return resolve({ call, accountId, path: [] }, destination);
}

function resolve(r: Resolution, destination: Destination): Step[] | Reject {
  const key = destination.kind === 'number' ? `number:${destination.e164}` : `${destination.kind}:${destination.id}`;
  if (r.path.includes(key)) return rejection('routing_loop', `routing loops: ${[...r.path, key].join(' → ')}`);
  if (r.path.length >= MAX_DEPTH) {
    return rejection('routing_loop', `more than ${MAX_DEPTH} destinations chained: ${[...r.path, key].join(' → ')}`);
  }
  const next = { ...r, path: [...r.path, key] };
  return (RESOLVERS[destination.kind] as Resolver<typeof destination.kind>)(next, destination);
}

function missing(what: string, id: string): Reject {
  return rejection('unallocated_number', `${what} ${id} no longer exists`);
}

export function isReject<T extends object>(value: T | Reject): value is Reject {
  return 'outcome' in value && value.outcome === 'reject';
}

/** The entity when it exists in the resolving account; otherwise why not. */
function owned<T extends { accountId: string }>(
  r: Resolution,
  entity: T | undefined,
  what: string,
  id: string,
): T | Reject {
  if (!entity) return missing(what, id);
  if (entity.accountId !== r.accountId) return rejection('not_allowed', `${what} ${id} belongs to another account`);
  return entity;
}

function incomingRefusal(r: Resolution, sub: SubaccountEntry): Reject | undefined {
  if (!sub.chargingPlan) return undefined;
  const direction: CallDirection = 'incoming';
  const permission = callAllowed(sub.chargingPlan, { class: r.call.class, direction });
  // The message may reach the caller (a Reason header): it says what refused, not whose plan.
  return permission.allowed ? undefined : rejection('not_allowed', `the callee: ${permission.message}`);
}

function subaccountSteps(r: Resolution, id: string, expected?: 'conference'): Step[] | Reject {
  const sub = owned(r, r.call.directory.subaccount(id), expected ?? 'subaccount', id);
  if (isReject(sub)) return sub;
  if (expected === 'conference' && !sub.conference) return missing('conference', id);
  const notIncoming = incomingRefusal(r, sub);
  if (notIncoming) return notIncoming;
  if (!sub.conference) return [{ kind: 'bridge_subaccount', subaccountId: sub.id }];
  return [{ kind: 'conference', subaccountId: sub.id, ...sub.conference }];
}

function numberSteps(r: Resolution, d: { e164: string }): Step[] | Reject {
  const did = r.call.directory.number(d.e164);
  if (did) {
    if (!did.destination) return rejection('unallocated_number', `${d.e164} is not routed anywhere`);
    return resolve({ ...r, accountId: did.accountId }, did.destination);
  }
  const account = r.call.directory.account(r.accountId);
  const external = account && publicNumber(d.e164, account);
  if (!external) return rejection('invalid_number', `${d.e164} is not a valid number`);
  return [{ kind: 'external', e164: external.e164, class: external.class, accountId: r.accountId }];
}

function huntTarget(r: Resolution, member: HuntMember): HuntTarget | undefined {
  if (member.kind === 'subaccount') {
    const sub = r.call.directory.subaccount(member.id);
    const reachable = sub && sub.accountId === r.accountId && !sub.conference && !incomingRefusal(r, sub);
    return reachable ? { kind: 'subaccount', subaccountId: member.id } : undefined;
  }
  const account = r.call.directory.account(r.accountId);
  const external = account && publicNumber(member.e164, account);
  return external ? { kind: 'external', e164: external.e164, class: external.class } : undefined;
}

function huntSteps(r: Resolution, d: { id: string }): Step[] | Reject {
  const group = owned(r, r.call.directory.huntGroup(d.id), 'hunt group', d.id);
  if (isReject(group)) return group;
  const targets = new Map<HuntMember, HuntTarget>();
  for (const member of group.members) {
    const target = huntTarget(r, member);
    if (target) targets.set(member, target);
  }
  const { call } = r;
  const order = huntOrder(group, {
    busy: call.busy,
    cursor: call.huntCursors.get(group.id) ?? null,
    random: call.random,
    reachable: (member) => targets.has(member),
  });
  const fallback: Step[] | Reject = order.fallback ? resolve(r, order.fallback) : [];
  if (order.rounds.length === 0) {
    if (isReject(fallback) || fallback.length > 0) return fallback;
    return rejection('busy', `every member of hunt group ${group.name} is busy or unavailable`);
  }
  const rounds = order.rounds.map((round) => ({
    targets: round.members.map((m) => targets.get(m)).filter((t): t is HuntTarget => t !== undefined),
    timeoutSeconds: round.timeoutSeconds,
  }));
  const { nextCursor } = order;
  const hunt: Step = { kind: 'hunt', huntGroupId: group.id, accountId: group.accountId, rounds, nextCursor };
  // A broken fallback does not stop the members ringing; the switch plays its reject afterwards.
  return isReject(fallback) ? [hunt, { kind: 'reject', reject: fallback }] : [hunt, ...fallback];
}
