// One executor per route-plan step kind (STYLE rule 4: a Record, not a switch).
// Each runs on the caller's leg and says whether the call is finished or the
// next step should take it (a bridge nobody answered, for instance).
import type { ExternalClass } from '../billing/index.js';
import type { Directory, HuntTarget, Step, StepKind } from '../routing/index.js';
import { ivrNext, ivrStart, stepsFor } from '../routing/index.js';
import type { CallLeg } from './esl.js';

export type Outcome = 'done' | 'next';

export interface StepContext {
  leg: CallLeg;
  directory: Directory;
  accountId: string;
  /** checks a conference passcode against the sealed one */
  /** the role the entered digits give in a conference room, or false */
  passcodeMatches: (conferenceSubaccountId: string, entered: string) => Promise<'participant' | 'moderator' | false>;
  /** every step of a destination the IVR chose, run in order */
  run: (steps: Step[]) => Promise<Outcome>;
  log: { warn(o: object, m: string): void };
  now: () => Date;
  /** charging's answer for a call leaving through a carrier: refused, or allowed for at most maxSeconds */
  authorizeExternal: (step: Extract<Step, { kind: 'external' }>) => Promise<ExternalAuthorization>;
  /** the carrier trunk an account's calls leave by */
  outboundTrunk: (accountId: string) => string | undefined;
  /** charging's answer for a hunt group's member on the public network: a leg of its own, authorized under `legUuid`, paid by the group's account */
  authorizeHuntLeg: (accountId: string, target: { e164: string; class: ExternalClass }, legUuid: string) => Promise<ExternalAuthorization>;
  /** gives back a hunt leg's authorization nobody used */
  releaseHuntLeg: (legUuid: string) => Promise<void>;
  /** a fresh uuid for a leg */
  newUuid: () => string;
}

export type ExternalAuthorization =
  | { allowed: true; maxSeconds: number }
  | { allowed: false; reason: string; message: string };

type Executor<K extends StepKind> = (step: Extract<Step, { kind: K }>, ctx: StepContext) => Promise<Outcome>;

/** The dial string that sends a leg back through the SIP edge to a subaccount's devices. */
export function subaccountDialString(subaccountId: string, networkNumber: string): string {
  return `[sip_h_X-Callplane-Subaccount=${subaccountId}]sofia/callplane/sip:${networkNumber}@callplane.invalid`;
}

/**
 * The dial string that sends a leg to a carrier through the SIP edge, hung up
 * `maxSeconds` after the far end answers (what the balance covers).
 * FreeSWITCH's scheduler counts whole seconds of its clock, so sched_hangup
 * cuts the call during its last second, never after it (seen against a real
 * FreeSWITCH: 2.5–3.0 s for +3); the single quotes keep the spaces inside `[]`
 * and FreeSWITCH strips them.
 */
export function externalDialString(e164: string, trunkId: string, accountId: string, maxSeconds: number): string {
  const vars = [
    `sip_h_X-Callplane-Trunk=${trunkId}`,
    `sip_h_X-Callplane-Account=${accountId}`,
    `execute_on_answer='sched_hangup +${maxSeconds} ALLOTTED_TIMEOUT'`,
  ];
  return `[${vars.join(',')}]sofia/callplane/sip:${e164}@callplane.invalid`;
}

/**
 * A hunt group's member on the public network: a leg with its own uuid (its
 * authorization's key) and its own hangup at the covered length; answering, it
 * stamps the caller's channel so the call's CDR is rated as this leg.
 */
export function huntLegDialString(
  target: { e164: string; class: ExternalClass },
  leg: { uuid: string; callerUuid: string; trunkId: string; accountId: string; maxSeconds: number },
): string {
  const stamp = (name: string, value: string) => `'uuid_setvar ${leg.callerUuid} ${name} ${value}'`;
  const vars = [
    `origination_uuid=${leg.uuid}`,
    `sip_h_X-Callplane-Trunk=${leg.trunkId}`,
    `sip_h_X-Callplane-Account=${leg.accountId}`,
    `execute_on_answer='sched_hangup +${leg.maxSeconds} ALLOTTED_TIMEOUT'`,
    `api_on_answer_1=${stamp('callplane_charged_leg', leg.uuid)}`,
    `api_on_answer_2=${stamp('callplane_external', 'true')}`,
    `api_on_answer_3=${stamp('callplane_class', target.class)}`,
    `api_on_answer_4=${stamp('callplane_callee', target.e164)}`,
  ];
  return `[${vars.join(',')}]sofia/callplane/sip:${target.e164}@callplane.invalid`;
}

/** Bridges; the call is done when the caller hung up or the bridge was answered and ended. */
async function bridge(ctx: StepContext, dialString: string, timeoutSeconds: number): Promise<Outcome> {
  return (await bridged(ctx, dialString, timeoutSeconds)).outcome;
}

/** bridge(), with the caller's channel variables as the bridge left them. */
async function bridged(ctx: StepContext, dialString: string, timeoutSeconds: number) {
  await ctx.leg.execute('set', `call_timeout=${timeoutSeconds}`);
  const completed = await ctx.leg.execute('bridge', dialString);
  const outcome: Outcome = ctx.leg.isHungUp || completed('variable_originate_disposition') === 'SUCCESS' ? 'done' : 'next';
  return { outcome, variable: (name: string) => completed(`variable_${name}`) };
}

async function respond(ctx: StepContext, sipStatus: number, cause: string): Promise<Outcome> {
  await ctx.leg.refuse(sipStatus, cause);
  return 'done';
}

const prompt = (name: string) => (/\.\w+$/.test(name) ? name : `${name}.wav`);

/** Plays prompts and collects up to `max` digits; '' when nothing was pressed in time. */
async function collect(ctx: StepContext, prompts: string[], max: number, timeoutSeconds: number): Promise<string> {
  const files = prompts.map(prompt).join('!');
  await ctx.leg.execute('set', 'playback_delimiter=!');
  const done = await ctx.leg.execute(
    'play_and_get_digits',
    `1 ${max} 1 ${timeoutSeconds * 1000} # ${files} silence_stream://250 callplane_digits \\d+ 3000`,
  );
  return done('variable_callplane_digits') ?? '';
}

const EXECUTORS: { [K in StepKind]: Executor<K> } = {
  bridge_subaccount: async (step, ctx) => {
    const sub = ctx.directory.subaccount(step.subaccountId);
    if (!sub) return 'next';
    await ctx.leg.set({ callplane_callee: sub.networkNumber });
    return bridge(ctx, subaccountDialString(sub.id, sub.networkNumber), 30);
  },
  hunt: async (step, ctx) => {
    await ctx.leg.set({ callplane_hunt_group: step.huntGroupId });
    for (const round of step.rounds) {
      const legs = await huntLegs(ctx, step.accountId, round.targets);
      if (legs.dialStrings.length === 0) continue;
      const { outcome, variable } = await bridged(ctx, legs.dialStrings.join(','), round.timeoutSeconds);
      // authorizations of carrier legs that did not answer go back at once (the answered one is settled with the CDR)
      const answered = variable('callplane_charged_leg');
      for (const uuid of legs.authorized) if (uuid !== answered) await ctx.releaseHuntLeg(uuid);
      if (outcome === 'done') return 'done';
    }
    return 'next';
  },
  ivr: async (step, ctx) => {
    let menu = ctx.directory.ivrMenu(step.menuId);
    if (!menu) return 'next';
    await ctx.leg.execute('answer');
    await ctx.leg.set({ callplane_ivr_menu: menu.id });
    let action = ivrStart(menu);
    while (action.kind === 'play' && !ctx.leg.isHungUp) {
      // one key is a whole answer unless extensions may be dialed from the menu
      const digits = await collect(ctx, action.prompts, menu.allowExtensionDialing ? 6 : 1, menu.timeoutSeconds);
      action = ivrNext(menu, action.state, digits ? { digits } : { timeout: true }, ctx.directory);
      if (action.kind === 'play' && action.state.menuId !== menu.id) menu = ctx.directory.ivrMenu(action.state.menuId) ?? menu;
    }
    if (action.kind !== 'route') return respond(ctx, 480, 'NORMAL_CLEARING');
    const steps = stepsFor(ivrContext(ctx), ctx.accountId, action.destination);
    return Array.isArray(steps) ? ctx.run(steps) : respond(ctx, steps.sipStatus, 'CALL_REJECTED');
  },
  conference: async (step, ctx) => {
    await ctx.leg.execute('answer');
    for (let attempt = 0; attempt < 3 && !ctx.leg.isHungUp; attempt++) {
      const entered = await collect(ctx, ['conference-passcode'], 10, 8);
      const role = entered ? await ctx.passcodeMatches(step.subaccountId, entered) : false;
      if (role) {
        await ctx.leg.set({ callplane_conference: step.subaccountId, conference_max_members: String(step.maxParticipants) });
        const flags = role === 'moderator' ? '+flags{moderator}' : '';
        await ctx.leg.execute('conference', `room-${step.subaccountId}@callplane${flags}`);
        return 'done';
      }
      await ctx.leg.execute('playback', prompt('conference-bad-passcode'));
    }
    return respond(ctx, 403, 'CALL_REJECTED');
  },
  external: async (step, ctx) => {
    const trunk = ctx.outboundTrunk(step.accountId);
    if (!trunk) {
      ctx.log.warn({ e164: step.e164, accountId: step.accountId }, 'external call refused: no outbound carrier trunk');
      return respond(ctx, 503, 'NORMAL_TEMPORARY_FAILURE');
    }
    // No call leaves the system unauthorized: the plan must allow it and, for
    // prepaid, the balance must cover at least its first billed block.
    const decision = await ctx.authorizeExternal(step);
    if (!decision.allowed) {
      ctx.log.warn({ e164: step.e164, reason: decision.reason }, 'external call refused by charging');
      return decision.reason === 'insufficient_funds' ? respond(ctx, 402, 'CALL_REJECTED') : respond(ctx, 403, 'OUTGOING_CALL_BARRED');
    }
    // The CDR rates the carrier leg: its class, its number, from the moment it was bridged.
    await ctx.leg.set({ callplane_external: 'true', callplane_class: step.class, callplane_direction: 'outgoing', callplane_callee: step.e164 });
    return bridge(ctx, externalDialString(step.e164, trunk, step.accountId, decision.maxSeconds), 60);
  },
  emergency: async (step, ctx) => {
    ctx.log.warn({ dialed: step.dialed, country: step.country }, 'emergency call: no emergency trunk configured');
    return respond(ctx, 503, 'NORMAL_TEMPORARY_FAILURE');
  },
  reject: async (step, ctx) => respond(ctx, step.reject.sipStatus, 'CALL_REJECTED'),
};

/** A round's dial strings: subaccounts through the edge, members on the public network each authorized as a leg of its own. */
async function huntLegs(ctx: StepContext, accountId: string, targets: HuntTarget[]): Promise<{ dialStrings: string[]; authorized: string[] }> {
  const dialStrings: string[] = [];
  const authorized: string[] = [];
  for (const target of targets) {
    if (target.kind === 'subaccount') {
      const sub = ctx.directory.subaccount(target.subaccountId);
      if (sub) dialStrings.push(subaccountDialString(sub.id, sub.networkNumber));
      continue;
    }
    const trunkId = ctx.outboundTrunk(accountId);
    if (!trunkId) continue;
    const uuid = ctx.newUuid();
    const decision = await ctx.authorizeHuntLeg(accountId, target, uuid);
    if (!decision.allowed) {
      ctx.log.warn({ e164: target.e164, reason: decision.reason }, 'hunt member on the public network skipped by charging');
      continue;
    }
    authorized.push(uuid);
    dialStrings.push(huntLegDialString(target, { uuid, callerUuid: ctx.leg.uuid, trunkId, accountId, maxSeconds: decision.maxSeconds }));
  }
  return { dialStrings, authorized };
}

function ivrContext(ctx: StepContext) {
  return { directory: ctx.directory, now: ctx.now(), busy: new Set<string>(), huntCursors: new Map<string, number>(), random: Math.random, class: 'extension' as const };
}

export function execute(step: Step, ctx: StepContext): Promise<Outcome> {
  return (EXECUTORS[step.kind] as Executor<typeof step.kind>)(step, ctx);
}
