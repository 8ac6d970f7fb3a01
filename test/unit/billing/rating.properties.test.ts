// Properties of rating over generated plans, deck rows and calls: a charge is
// never negative, never falls as a call gets longer, and a relative price with
// a markup ≥ 0 never sells a call below its carrier cost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cdr,
  type ChargingPlan,
  EXTERNAL_CLASSES,
  MAX_BILLSEC,
  RateDeckIndex,
  type RatedCharge,
  chargingPlan,
  ratedCharge,
} from '../../../server/billing/index.js';
import { SAMPLE_PLAN_INPUT, deckRow } from './sample-plan.js';

const AT = new Date('2024-06-01T00:00:00Z');
const seconds = (min: number) => fc.integer({ min, max: 3_600 });
const micros = fc.integer({ min: 0, max: 1_000_000_000 });
const markup = (min: number) => fc.integer({ min, max: 1_000_000 });

const price = (minMarkup: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('fixed' as const), perMinuteMicros: micros }),
    fc.record({ kind: fc.constant('relative' as const), markupBasisPoints: markup(minMarkup) }),
  );

const plan = (minMarkup: number): fc.Arbitrary<ChargingPlan> =>
  fc
    .record({
      segments: fc.record({ minimumSeconds: seconds(0), firstIncrementSeconds: seconds(1), nextIncrementSeconds: seconds(1) }),
      connectionFeeMicros: micros,
      price: price(minMarkup),
      onNetFree: fc.boolean(),
      currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
    })
    .map(({ price: p, ...rest }) =>
      chargingPlan.parse({
        ...SAMPLE_PLAN_INPUT,
        ...rest,
        prices: Object.fromEntries([...EXTERNAL_CLASSES.map((c) => [c, p]), ['incoming', { kind: 'fixed', perMinuteMicros: 6_000 }]]),
      }),
    );

const deck = fc
  .record({ cost: micros, fee: micros, first: seconds(1), next: seconds(1) })
  .map(({ cost, fee, first, next }) =>
    new RateDeckIndex([deckRow('1', cost, { connectionFeeMicros: fee, firstIncrementSeconds: first, nextIncrementSeconds: next })]),
  );

const call = (billsec: number, changes: Partial<Cdr> = {}): Cdr => ({
  class: 'international',
  direction: 'outgoing',
  dialedDigits: '14155550100',
  answeredAt: AT,
  billsec,
  startedAt: AT,
  ...changes,
});

const anyCall = fc
  .record({
    cls: fc.constantFrom('extension', 'network', 'local', 'national', 'mobile', 'international', 'toll_free', 'premium'),
    direction: fc.constantFrom('outgoing', 'incoming'),
    answered: fc.boolean(),
    billsec: fc.integer({ min: 0, max: MAX_BILLSEC }),
  })
  .map(({ cls, direction, answered, billsec }) =>
    call(answered ? billsec : 0, { class: cls, direction, answeredAt: answered ? AT : null }),
  );

function rated(charge: ReturnType<typeof ratedCharge>): RatedCharge {
  if (!charge.rated) throw new Error(charge.message);
  return charge;
}

describe('rating properties', () => {
  it('a charge is never negative and always a safe integer', () => {
    fc.assert(
      fc.property(plan(-10_000), deck, anyCall, (p, d, c) => {
        const charge = rated(ratedCharge(c, p, d));
        expect(charge.chargeMinor).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(charge.chargeMinor)).toBe(true);
        expect(Number.isSafeInteger(charge.priceMicros)).toBe(true);
      }),
    );
  });

  it('a charge never decreases as the call gets longer', () => {
    const durations = fc.tuple(fc.integer({ min: 0, max: MAX_BILLSEC }), fc.integer({ min: 0, max: MAX_BILLSEC }));
    fc.assert(
      fc.property(plan(-10_000), deck, durations, fc.boolean(), (p, d, [a, b], incoming) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        const direction = incoming ? 'incoming' : 'outgoing';
        const first = rated(ratedCharge(call(shorter, { direction }), p, d));
        const second = rated(ratedCharge(call(longer, { direction }), p, d));
        expect(second.priceMicros).toBeGreaterThanOrEqual(first.priceMicros);
        expect(second.chargeMinor).toBeGreaterThanOrEqual(first.chargeMinor);
      }),
    );
  });

  it('an answered call never costs less than an unanswered one', () => {
    fc.assert(
      fc.property(plan(-10_000), deck, fc.integer({ min: 0, max: MAX_BILLSEC }), (p, d, billsec) => {
        const unanswered = rated(ratedCharge(call(0, { answeredAt: null }), p, d));
        expect(rated(ratedCharge(call(billsec), p, d)).chargeMinor).toBeGreaterThanOrEqual(unanswered.chargeMinor);
      }),
    );
  });

  it('with a markup ≥ 0 a relative price is at least the carrier cost', () => {
    const relativePlan = plan(0).filter((p) => p.prices.international.kind === 'relative');
    fc.assert(
      fc.property(relativePlan, deck, fc.integer({ min: 0, max: MAX_BILLSEC }), (p, d, billsec) => {
        const charge = rated(ratedCharge(call(billsec), p, d));
        expect(charge.priceMicros).toBeGreaterThanOrEqual(charge.costMicros ?? 0);
      }),
    );
  });
});
