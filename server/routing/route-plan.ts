// What routing answers: a route plan (data the switch executes, one executor
// per step kind) or a reject with an exact cause, its SIP status and its
// Q.850 cause (RFC 3398 mapping, so FreeSWITCH and carriers agree).
import type { CallClass, CallDirection, ExternalClass } from '../billing/index.js';
import type { CallerId } from './privacy.js';

export const REJECT_CAUSES = [
  'unallocated_number',
  'invalid_number',
  'not_allowed',
  'insufficient_funds',
  'trunk_limit',
  'routing_loop',
  'busy',
] as const;
export type RejectCause = (typeof REJECT_CAUSES)[number];

export interface Reject {
  outcome: 'reject';
  reject: RejectCause;
  sipStatus: number;
  q850: number;
  message: string;
}

const SIGNALLING: Record<RejectCause, { sipStatus: number; q850: number }> = {
  unallocated_number: { sipStatus: 404, q850: 1 }, // Unallocated (unassigned) number
  invalid_number: { sipStatus: 484, q850: 28 }, // Invalid number format (address incomplete)
  not_allowed: { sipStatus: 403, q850: 21 }, // Call rejected
  insufficient_funds: { sipStatus: 402, q850: 21 }, // Call rejected: RFC 3398 maps 402 to 21
  trunk_limit: { sipStatus: 503, q850: 34 }, // No circuit/channel available
  routing_loop: { sipStatus: 482, q850: 25 }, // Exchange routing error
  busy: { sipStatus: 486, q850: 17 }, // User busy
};

/** A reject for a cause. insufficient_funds and trunk_limit are the switch's to decide; it builds them here too. */
export function rejection(cause: RejectCause, message: string): Reject {
  return { outcome: 'reject', reject: cause, ...SIGNALLING[cause], message };
}

export type HuntTarget =
  | { kind: 'subaccount'; subaccountId: string }
  | { kind: 'external'; e164: string; class: ExternalClass };

export interface HuntStepRound {
  targets: HuntTarget[];
  timeoutSeconds: number;
}

export type Step =
  | { kind: 'bridge_subaccount'; subaccountId: string }
  | {
      kind: 'hunt';
      huntGroupId: string;
      /** Pays for external members. */
      accountId: string;
      rounds: HuntStepRound[];
      /** Round robin: store as the group's cursor once the hunt starts; null for other strategies. */
      nextCursor: number | null;
    }
  | { kind: 'ivr'; menuId: string }
  | { kind: 'conference'; subaccountId: string; maxParticipants: number; hasModeratorPin: boolean }
  | {
      kind: 'external';
      e164: string;
      class: ExternalClass;
      /** Pays for this leg: the caller's account, or the account whose forward sends the call out. */
      accountId: string;
    }
  | { kind: 'emergency'; dialed: string; country: string }
  | { kind: 'reject'; reject: Reject };

export type StepKind = Step['kind'];
export const STEP_KINDS: readonly StepKind[] = [
  'bridge_subaccount',
  'hunt',
  'ivr',
  'conference',
  'external',
  'emergency',
  'reject',
];

/** Emergency calls are a class of their own: never refused by a charging plan or a balance, never billed. */
export type RouteClass = CallClass | 'emergency';

export interface RoutePlan {
  outcome: 'route';
  callClass: RouteClass;
  direction: CallDirection;
  /** The calling account for outgoing calls; the called number's account for calls from a carrier. */
  accountId: string;
  /** Tried in order: a step that ends unanswered passes the call to the next one. */
  steps: Step[];
  callerId: CallerId;
  billing: {
    onNet: boolean;
    /** null: not billed (emergency). */
    class: CallClass | null;
    /** Whose charging plan rates the call: the calling subaccount; null for calls from a carrier (the answering one). */
    subaccountId: string | null;
  };
}

export type RouteResult = RoutePlan | Reject;
