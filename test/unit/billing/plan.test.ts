// Charging plans: the schema the API will accept, and which calls a plan lets through.
import { describe, expect, it } from 'vitest';
import { type CallClass, type CallDirection, callAllowed, chargingPlan } from '../../../server/billing/index.js';
import { SAMPLE_PLAN_INPUT, samplePlan } from './sample-plan.js';

describe('chargingPlan schema', () => {
  it('makes on-net calls free and gives on-net and incoming calls a zero price by default', () => {
    const { prices, ...rest } = SAMPLE_PLAN_INPUT;
    const { extension: _e, incoming: _i, ...classPrices } = prices;
    const plan = chargingPlan.parse({ ...rest, prices: classPrices });
    expect(plan.onNetFree).toBe(true);
    expect(plan.prices.extension).toEqual({ kind: 'fixed', perMinuteMicros: 0 });
    expect(plan.prices.network).toEqual({ kind: 'fixed', perMinuteMicros: 0 });
    expect(plan.prices.incoming).toEqual({ kind: 'fixed', perMinuteMicros: 0 });
  });

  it.each([
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a lowercase currency', { currency: 'eur' }, 'currency'],
    ['initial credit on a postpaid plan', { billing: 'postpaid' }, 'initialCreditMinor'],
    ['a zero increment', { segments: { minimumSeconds: 0, firstIncrementSeconds: 0, nextIncrementSeconds: 6 } }, 'segments'],
    ['a negative connection fee', { connectionFeeMicros: -1 }, 'connectionFeeMicros'],
    ['a fractional connection fee', { connectionFeeMicros: 0.5 }, 'connectionFeeMicros'],
    ['a markup below −100 %', { prices: { ...SAMPLE_PLAN_INPUT.prices, mobile: { kind: 'relative', markupBasisPoints: -10_001 } } }, 'prices'],
    ['a relative price for extensions', { prices: { ...SAMPLE_PLAN_INPUT.prices, extension: { kind: 'relative', markupBasisPoints: 0 } } }, 'prices'],
    ['a missing class permission', { allow: { ...SAMPLE_PLAN_INPUT.allow, classes: { local: true } } }, 'allow'],
  ])('refuses %s, naming the field', (_name, changes, field) => {
    const result = chargingPlan.safeParse({ ...SAMPLE_PLAN_INPUT, ...changes });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
});

describe('callAllowed', () => {
  const everything = SAMPLE_PLAN_INPUT.allow;
  const denying = (allow: Partial<typeof everything>) => samplePlan({ allow: { ...everything, ...allow } });

  it.each<[string, Partial<typeof everything>, CallClass, CallDirection, string | undefined]>([
    ['everything allowed', {}, 'national', 'outgoing', undefined],
    ['no incoming calls', { incoming: false }, 'national', 'incoming', 'incoming'],
    ['no incoming calls, even from an extension', { incoming: false }, 'extension', 'incoming', 'incoming'],
    ['no incoming calls, outgoing still fine', { incoming: false }, 'national', 'outgoing', undefined],
    ['no public network', { publicNetwork: false }, 'local', 'outgoing', 'public_network'],
    ['no public network, extensions still fine', { publicNetwork: false }, 'extension', 'outgoing', undefined],
    ['no public network, incoming from it still fine', { publicNetwork: false }, 'national', 'incoming', undefined],
    ['no extensions', { extensions: false }, 'extension', 'outgoing', 'extensions'],
    ['no network numbers (extended local)', { networkNumbers: false }, 'network', 'outgoing', 'network_numbers'],
    ['no network numbers, extensions still fine', { networkNumbers: false }, 'extension', 'outgoing', undefined],
    ['premium denied by class', {}, 'premium', 'outgoing', 'class'],
    ['international denied by class', { classes: { ...everything.classes, international: false } }, 'international', 'outgoing', 'class'],
  ])('%s: a %s %s call → %s', (_name, allow, cls, direction, reason) => {
    const permission = callAllowed(denying(allow), { class: cls, direction });
    if (reason === undefined) expect(permission).toEqual({ allowed: true });
    else expect(permission).toEqual({ allowed: false, reason, message: expect.stringMatching(/^the charging plan does not allow /) });
  });

  it('says which class is denied in words', () => {
    expect(callAllowed(samplePlan(), { class: 'premium', direction: 'outgoing' })).toMatchObject({
      message: 'the charging plan does not allow premium calls',
    });
  });
});
