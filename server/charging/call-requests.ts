// The switch's two questions about money, asked over HTTP by the operator:
// "may this subaccount call this number, and for how long?" and "this call
// ended: charge it". The same routing decision and the same charging code the
// FreeSWITCH controller uses, for deployments and tests without FreeSWITCH,
// and for integrations that run their own media server.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Caller } from '../accounts/index.js';
import { type NewCdr, recordCdr } from '../cdrs/index.js';
import type { Database } from '../db/index.js';
import { Forbidden, InvalidField } from '../errors.js';
import { type Directory, routeCall } from '../routing/index.js';
import type { CallCharging } from './call-charging.js';

const uuid = z.string().uuid('a UUID');

export const callQuestion = z.object({
  callUuid: uuid.optional().describe('the call’s id; generated when absent'),
  subaccountId: uuid.describe('who calls'),
  dialed: z.string().trim().min(1, 'required').max(32, 'at most 32 characters').describe('what the caller dialed, as a phone sends it'),
});

export const callEnded = callQuestion.extend({
  callUuid: uuid,
  startedAt: z.string().datetime({ offset: true, message: 'an ISO 8601 time' }),
  answeredAt: z.string().datetime({ offset: true, message: 'an ISO 8601 time' }).nullable(),
  billableSeconds: z.number().int().min(0).max(86_400),
});

export const callAnswer = z.object({
  callUuid: uuid,
  outcome: z.enum(['route', 'reject']),
  callClass: z.string().optional(),
  e164: z.string().optional().describe('for calls to the public network'),
  allowed: z.boolean(),
  maxSeconds: z.number().int().optional().describe('hang up after this long'),
  reservedMinor: z.number().int().optional(),
  reason: z.string().optional(),
  sipStatus: z.number().int().optional(),
  message: z.string().optional(),
});
export type CallAnswer = z.infer<typeof callAnswer>;

export const callCharged = z.object({
  callUuid: uuid,
  recorded: z.boolean().describe('false: this call’s CDR was already recorded'),
  chargeMinor: z.number().int(),
  billableSeconds: z.number().int(),
});

export class CallRequests {
  constructor(private readonly deps: { db: Database; directory: () => Promise<Directory>; charging: CallCharging }) {}

  async authorize(caller: Caller, input: z.output<typeof callQuestion>, now = new Date()): Promise<CallAnswer> {
    operatorOnly(caller);
    const callUuid = input.callUuid ?? crypto.randomUUID();
    const plan = await this.route(input, now);
    if (plan.outcome === 'reject') {
      return { callUuid, outcome: 'reject', allowed: false, reason: plan.reject, sipStatus: plan.sipStatus, message: plan.message };
    }
    const step = plan.steps[0];
    if (step?.kind !== 'external') return { callUuid, outcome: 'route', callClass: plan.callClass, allowed: true };
    const decision = await this.deps.charging.authorize(
      { callUuid, accountId: step.accountId, subaccountId: plan.billing.subaccountId, class: step.class, direction: 'outgoing', dialedDigits: step.e164.slice(1) },
      now,
    );
    const base = { callUuid, outcome: 'route' as const, callClass: step.class, e164: step.e164 };
    if (decision.allowed) return { ...base, allowed: true, maxSeconds: decision.maxSeconds, reservedMinor: decision.reservedMinor };
    return { ...base, allowed: false, reason: decision.reason, sipStatus: decision.reason === 'insufficient_funds' ? 402 : 403, message: decision.message };
  }

  /** Records the call's CDR once and charges it once, as the switch does at hang-up. */
  async complete(caller: Caller, input: z.output<typeof callEnded>, now = new Date()) {
    operatorOnly(caller);
    const plan = await this.route(input, new Date(input.startedAt));
    if (plan.outcome === 'reject') throw new InvalidField('dialed', `this call would not have been routed: ${plan.message}`);
    const step = plan.steps[0];
    const external = step?.kind === 'external' ? step : undefined;
    const started = new Date(input.startedAt);
    const answered = input.answeredAt ? new Date(input.answeredAt) : null;
    const cdr: NewCdr = {
      call_uuid: input.callUuid,
      account_id: plan.accountId,
      subaccount_id: plan.billing.subaccountId,
      direction: plan.direction,
      call_class: external?.class ?? plan.callClass,
      caller_name: '',
      caller_number: '',
      dialed: input.dialed,
      callee: external?.e164 ?? '',
      started_at: started,
      answered_at: answered,
      ended_at: new Date((answered ?? started).getTime() + input.billableSeconds * 1000),
      billable_seconds: answered ? input.billableSeconds : 0,
      hangup_cause: 'NORMAL_CLEARING',
      hunt_group_id: null,
      ivr_menu_id: null,
      conference_subaccount_id: null,
      trunk_id: null,
      did: null,
      charged_leg_uuid: null,
    };
    const recorded = await recordCdr(this.deps.db, cdr);
    const settled = await this.deps.charging.settle(cdr, now);
    const rating = settled?.rating;
    return {
      callUuid: input.callUuid,
      recorded,
      chargeMinor: rating?.rated ? rating.chargeMinor : 0,
      billableSeconds: rating?.rated ? rating.billableSeconds : 0,
    };
  }

  private async route(input: { subaccountId: string; dialed: string }, now: Date) {
    const directory = await this.deps.directory();
    if (!directory.subaccount(input.subaccountId)) throw new InvalidField('subaccountId', 'no subaccount of an active account has this id (unknown, or its account is suspended or closed)');
    const from = { kind: 'subaccount' as const, subaccountId: input.subaccountId };
    return routeCall(directory, { from, dialed: input.dialed, busy: new Set(), huntCursors: new Map(), random: Math.random }, now);
  }
}

function operatorOnly(caller: Caller): void {
  // These stand in for the switch, which the operator runs: no account may report its own calls.
  if (caller.role !== 'operator') throw new Forbidden('only the operator (standing in for the switch) may do this');
}
