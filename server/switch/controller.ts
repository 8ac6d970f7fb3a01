// The FreeSWITCH controller: FreeSWITCH hands every call to our outbound
// socket; the controller reads who calls (the X-Callplane-* headers the SIP
// edge set — FreeSWITCH accepts calls only from the edge), asks routing for a
// plan, stamps the channel for its CDR, and executes the plan step by step.
import crypto from 'node:crypto';
import type { CallToCharge, ChargeDecision } from '../charging/index.js';
import type { Database } from '../db/index.js';
import { type Directory, type RoutePlan, type RouteRequest, routeCall } from '../routing/index.js';
import type { SecretBox } from '../secrets.js';
import type { CallLeg } from './esl.js';
import { reportingHook } from './cdrs.js';
import { type Outcome, type StepContext, execute } from './steps.js';

export interface ControllerDeps {
  db: Database;
  box: SecretBox;
  /** the current routing directory (cached; rebuilt when call flows change) */
  directory: () => Promise<Directory>;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  now?: () => Date;
  /** charging's authorization for calls through a carrier */
  charging: { authorize(call: CallToCharge, now: Date): Promise<ChargeDecision>; release(reservationUuid: string, now: Date): Promise<void> };
  /** the carrier trunk an account's calls leave by */
  trunks: { outboundFor(accountId: string): { id: string } | undefined };
}

const header = (leg: CallLeg, name: string) => leg.variable(`sip_h_X-Callplane-${name}`);

/** Who the edge says is calling, as routing wants it; undefined when the headers are missing. */
export function callerOf(leg: CallLeg): RouteRequest['from'] | undefined {
  const subaccountId = header(leg, 'Subaccount');
  if (subaccountId) return { kind: 'subaccount', subaccountId };
  const trunkId = header(leg, 'Trunk');
  if (!trunkId) return undefined;
  return {
    kind: 'trunk',
    trunkId,
    accountId: null,
    caller: { name: leg.info('Caller-Caller-ID-Name') ?? '', number: leg.info('Caller-Caller-ID-Number') ?? '' },
  };
}

async function stamp(leg: CallLeg, plan: RoutePlan, dialed: string): Promise<void> {
  await leg.set({
    callplane_call: 'true',
    callplane_account: plan.accountId,
    callplane_subaccount: plan.billing.subaccountId ?? '',
    callplane_direction: plan.direction,
    callplane_class: plan.callClass,
    callplane_dialed: dialed,
    callplane_trunk: header(leg, 'Trunk') ?? '',
    callplane_did: header(leg, 'Did') ?? '',
    hangup_after_bridge: 'true',
    continue_on_fail: 'true',
    effective_caller_id_name: plan.callerId.name,
    effective_caller_id_number: plan.callerId.number,
    ...(plan.callerId.privacy === 'id' ? { sip_cid_type: 'pid', privacy: 'yes' } : {}),
  });
  // the CDR's fields, left in FreeSWITCH at hang-up: recovered if no controller hears the event
  await leg.setVerbatim('api_reporting_hook', reportingHook());
}

export function callController(deps: ControllerDeps) {
  const now = () => deps.now?.() ?? new Date();
  return async (leg: CallLeg): Promise<void> => {
    const from = callerOf(leg);
    if (!from) {
      deps.log.warn({ uuid: leg.uuid }, 'call without the edge’s identity headers refused');
      await leg.execute('respond', '403');
      return;
    }
    const dialed = header(leg, 'Did') ?? leg.info('Caller-Destination-Number') ?? '';
    const directory = await deps.directory();
    const result = routeCall(directory, { from, dialed, busy: new Set(), huntCursors: new Map(), random: Math.random }, now());
    if (result.outcome === 'reject') {
      deps.log.info({ uuid: leg.uuid, dialed, reject: result.reject }, 'call rejected');
      await leg.execute('respond', String(result.sipStatus));
      return;
    }
    await stamp(leg, result, dialed);
    const ctx: StepContext = {
      leg,
      directory,
      accountId: result.accountId,
      passcodeMatches: (id, entered) => passcodeMatches(deps, id, entered),
      run: (steps) => runSteps(steps, ctx),
      log: deps.log,
      now,
      outboundTrunk: (accountId) => deps.trunks.outboundFor(accountId)?.id,
      newUuid: () => crypto.randomUUID(),
      // a hunt group's member on the public network is paid by the group's account (its default plan)
      authorizeHuntLeg: (accountId, target, legUuid) =>
        deps.charging.authorize(
          { callUuid: legUuid, accountId, subaccountId: null, class: target.class, direction: 'outgoing', dialedDigits: target.e164.replace(/^\+/, '') },
          now(),
        ),
      releaseHuntLeg: (legUuid) => deps.charging.release(legUuid, now()),
      authorizeExternal: (step) =>
        deps.charging.authorize(
          {
            callUuid: leg.uuid,
            accountId: step.accountId,
            // the calling subaccount pays for its own calls; a forward is paid by the account (its default plan)
            subaccountId: step.accountId === result.accountId && result.direction === 'outgoing' ? result.billing.subaccountId : null,
            class: step.class,
            direction: 'outgoing',
            dialedDigits: step.e164.replace(/^\+/, ''),
          },
          now(),
        ),
    };
    if ((await runSteps(result.steps, ctx)) === 'next' && !leg.isHungUp) await leg.refuse(480, 'NO_ANSWER');
  };
}

async function runSteps(steps: RoutePlan['steps'], ctx: StepContext): Promise<Outcome> {
  for (const step of steps) {
    if (ctx.leg.isHungUp) return 'done';
    if ((await execute(step, ctx)) === 'done') return 'done';
  }
  return 'next';
}

/** Who the entered digits make the caller: a participant (passcode), a moderator (moderator PIN), or nobody. */
async function passcodeMatches(deps: ControllerDeps, subaccountId: string, entered: string): Promise<'participant' | 'moderator' | false> {
  const row = await deps.db
    .selectFrom('subaccounts')
    .select(['conference_passcode_enc', 'conference_moderator_pin_enc'])
    .where('id', '=', subaccountId)
    .executeTakeFirst();
  if (row?.conference_moderator_pin_enc && deps.box.open(row.conference_moderator_pin_enc) === entered) return 'moderator';
  if (row?.conference_passcode_enc && deps.box.open(row.conference_passcode_enc) === entered) return 'participant';
  return false;
}
