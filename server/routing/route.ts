// routeCall: who calls, what they dialed, when → a route plan or a reject.
// A subaccount's dial string is tried against an ordered list of targets —
// emergency, extension, network number, then a public number (a DID on the
// system stays on-net, anything else goes out through a carrier). A call from
// a carrier trunk can only reach a DID on the system.
import { type CallClass, type ChargingPlan, callAllowed, isOnNet } from '../billing/index.js';
import { type PublicNumber, callerClass, dialString, e164FromCarrier, isEmergency, publicNumber } from './classify.js';
import { type CallContext, isReject, stepsFor } from './destinations.js';
import type { AccountEntry, Directory, SubaccountEntry } from './directory.js';
import { type CallerId, type Identity, callerIdAfterPrivacy, callerIdAsIs } from './privacy.js';
import { type Reject, type RoutePlan, type RouteResult, rejection } from './route-plan.js';
import type { Destination } from './routing.schemas.js';

export interface SubaccountCaller {
  kind: 'subaccount';
  subaccountId: string;
}

export interface TrunkCaller {
  kind: 'trunk';
  trunkId: string;
  /** A customer's own trunk serves one account; null for a carrier shared by the system. */
  accountId: string | null;
  /** The caller ID the carrier sent, passed on unchanged. */
  caller: { name: string; number: string };
}

export interface RouteRequest {
  from: SubaccountCaller | TrunkCaller;
  dialed: string;
  /** Subaccounts on a call now: hunt groups that skip busy members leave them out. */
  busy: ReadonlySet<string>;
  /** Round-robin cursors by hunt group id, as the switch stored them. */
  huntCursors: ReadonlyMap<string, number>;
  /** [0, 1) like Math.random; injected so random hunts are testable. */
  random: () => number;
}

const EXTENSION = /^[0-9]{2,6}$/;
const NETWORK_NUMBER = /^10[0-9]{6}$/;

interface OutgoingCall {
  directory: Directory;
  request: RouteRequest;
  now: Date;
  caller: SubaccountEntry;
  account: AccountEntry;
  dialed: string;
}

/** Each target recognises the dial string (a plan or a reject) or passes it on (undefined). */
const DIALED_TARGETS: readonly ((call: OutgoingCall) => RouteResult | undefined)[] = [
  emergencyCall,
  extensionCall,
  networkNumberCall,
  publicCall,
];

/** The route plan for a call, or the exact reason it cannot be made. */
export function routeCall(directory: Directory, request: RouteRequest, now: Date): RouteResult {
  const { from } = request;
  return from.kind === 'trunk'
    ? routeFromTrunk(directory, request, from, now)
    : routeFromSubaccount(directory, request, from, now);
}

function routeFromSubaccount(
  directory: Directory,
  request: RouteRequest,
  from: SubaccountCaller,
  now: Date,
): RouteResult {
  const caller = directory.subaccount(from.subaccountId);
  const account = caller && directory.account(caller.accountId);
  if (!caller || !account) return rejection('not_allowed', `unknown calling subaccount ${from.subaccountId}`);
  const dialed = dialString(request.dialed);
  const call: OutgoingCall = { directory, request, now, caller, account, dialed };
  for (const target of DIALED_TARGETS) {
    const result = target(call);
    if (result) return result;
  }
  return rejection('invalid_number', `${request.dialed} is not a number that can be dialed`);
}

function emergencyCall(call: OutgoingCall): RouteResult | undefined {
  if (!isEmergency(call.dialed, call.account.country)) return undefined;
  return {
    outcome: 'route',
    callClass: 'emergency',
    direction: 'outgoing',
    accountId: call.account.id,
    steps: [{ kind: 'emergency', dialed: call.dialed, country: call.account.country }],
    // Emergency services get the real identity whatever the privacy setting.
    callerId: callerIdAsIs(publicIdentity(call)),
    billing: { onNet: false, class: null, subaccountId: call.caller.id },
  };
}

function extensionCall(call: OutgoingCall): RouteResult | undefined {
  if (!EXTENSION.test(call.dialed)) return undefined;
  const callee = call.directory.extensionDestination(call.account.id, call.dialed);
  return callee && onNetCall(call, 'extension', call.account.id, callee);
}

function networkNumberCall(call: OutgoingCall): RouteResult | undefined {
  if (!NETWORK_NUMBER.test(call.dialed)) return undefined;
  const callee = call.directory.subaccountByNetworkNumber(call.dialed);
  if (!callee) return rejection('unallocated_number', `no subaccount has the network number ${call.dialed}`);
  const cls = callee.accountId === call.account.id ? 'extension' : 'network';
  return onNetCall(call, cls, callee.accountId, { kind: 'subaccount', id: callee.id });
}

function publicCall(call: OutgoingCall): RouteResult {
  const target = publicNumber(call.dialed, call.account);
  if (!target) {
    return EXTENSION.test(call.dialed)
      ? rejection('unallocated_number', `there is no extension ${call.dialed} in the account`)
      : rejection('invalid_number', `${call.dialed} is not a valid number in ${call.account.country}`);
  }
  const did = call.directory.number(target.e164);
  if (did) {
    if (!did.destination) return rejection('unallocated_number', `${target.e164} is not routed anywhere`);
    const cls = did.accountId === call.account.id ? 'extension' : 'network';
    return onNetCall(call, cls, did.accountId, did.destination);
  }
  return externalCall(call, target);
}

function outgoingRefusal(plan: ChargingPlan | null, cls: CallClass): Reject | undefined {
  if (!plan) {
    return isOnNet(cls) ? undefined : rejection('not_allowed', 'the subaccount has no charging plan: on-net calls only');
  }
  const permission = callAllowed(plan, { class: cls, direction: 'outgoing' });
  return permission.allowed ? undefined : rejection('not_allowed', permission.message);
}

function callContext(call: Pick<OutgoingCall, 'directory' | 'request' | 'now'>, cls: CallClass): CallContext {
  const { busy, huntCursors, random } = call.request;
  return { directory: call.directory, now: call.now, busy, huntCursors, random, class: cls };
}

function onNetCall(
  call: OutgoingCall,
  cls: 'extension' | 'network',
  accountId: string,
  destination: Destination,
): RouteResult {
  const refused = outgoingRefusal(call.caller.chargingPlan, cls);
  if (refused) return refused;
  const steps = stepsFor(callContext(call, cls), accountId, destination);
  if (isReject(steps)) return steps;
  // Inside the account colleagues see the extension as it is; other accounts see the network number, after privacy.
  const name = nameOf(call.caller);
  const callerId =
    cls === 'extension'
      ? callerIdAsIs({ name, number: call.caller.extension })
      : callerIdAfterPrivacy({ name, number: call.caller.networkNumber }, call.account.callerIdPrivacy);
  return outgoingPlan(call, cls, steps, callerId, true);
}

function externalCall(call: OutgoingCall, target: PublicNumber): RouteResult {
  const refused = outgoingRefusal(call.caller.chargingPlan, target.class);
  if (refused) return refused;
  const steps = [{ kind: 'external' as const, e164: target.e164, class: target.class, accountId: call.account.id }];
  const callerId = callerIdAfterPrivacy(publicIdentity(call), call.account.callerIdPrivacy);
  return outgoingPlan(call, target.class, steps, callerId, false);
}

function outgoingPlan(
  call: OutgoingCall,
  cls: CallClass,
  steps: RoutePlan['steps'],
  callerId: CallerId,
  onNet: boolean,
): RoutePlan {
  return {
    outcome: 'route',
    callClass: cls,
    direction: 'outgoing',
    accountId: call.account.id,
    steps,
    callerId,
    billing: { onNet, class: cls, subaccountId: call.caller.id },
  };
}

function nameOf(sub: SubaccountEntry): string {
  return sub.callerIdName ?? sub.name;
}

/** What the public network sees: the subaccount's caller-ID number, else the first DID that rings it. */
function publicIdentity(call: OutgoingCall): Identity {
  const number = call.caller.callerIdNumber ?? call.directory.primaryNumberOf(call.caller.id) ?? null;
  return { name: nameOf(call.caller), number };
}

function routeFromTrunk(directory: Directory, request: RouteRequest, from: TrunkCaller, now: Date): RouteResult {
  const trunkCountry = from.accountId === null ? undefined : directory.account(from.accountId)?.country;
  const e164 = e164FromCarrier(dialString(request.dialed), trunkCountry);
  const did = e164 === undefined ? undefined : directory.number(e164);
  // A customer's trunk reaching another account's number is told the same as for a number nobody has.
  if (!did || (from.accountId !== null && did.accountId !== from.accountId)) {
    return rejection('unallocated_number', `${request.dialed} is not a number on this system`);
  }
  const account = directory.account(did.accountId);
  if (!did.destination || !account) return rejection('unallocated_number', `${did.e164} is not routed anywhere`);
  const cls = callerClass(from.caller.number, account) ?? 'national';
  const steps = stepsFor(callContext({ directory, request, now }, cls), did.accountId, did.destination);
  if (isReject(steps)) return steps;
  return {
    outcome: 'route',
    callClass: cls,
    direction: 'incoming',
    accountId: did.accountId,
    steps,
    callerId: callerIdAsIs(from.caller),
    billing: { onNet: false, class: cls, subaccountId: null },
  };
}
