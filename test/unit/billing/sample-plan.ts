// The charging plan and rate deck the billing tests rate against, so each
// test's hand-computed figures can be checked against one page of facts.
import { type ChargingPlan, type ChargingPlanInput, type DeckRow, chargingPlan } from '../../../server/billing/index.js';

/**
 * EUR; 60/60/6 segments ("first 60 s, then every 6 s"); connection fee 0.05 EUR
 * (50,000 micros); national 0.02 EUR/min fixed; international +20 % on cost.
 */
export const SAMPLE_PLAN_INPUT: ChargingPlanInput = {
  name: 'Sample prepaid',
  allow: {
    incoming: true,
    publicNetwork: true,
    extensions: true,
    networkNumbers: true,
    classes: { local: true, national: true, mobile: true, international: true, toll_free: true, premium: false },
  },
  billing: 'prepaid',
  initialCreditMinor: { outgoing: 1_000, incoming: 1_000 },
  segments: { minimumSeconds: 60, firstIncrementSeconds: 60, nextIncrementSeconds: 6 },
  connectionFeeMicros: 50_000,
  prices: {
    local: { kind: 'fixed', perMinuteMicros: 10_000 },
    national: { kind: 'fixed', perMinuteMicros: 20_000 },
    mobile: { kind: 'fixed', perMinuteMicros: 120_000 },
    international: { kind: 'relative', markupBasisPoints: 2_000 },
    toll_free: { kind: 'fixed', perMinuteMicros: 0 },
    premium: { kind: 'relative', markupBasisPoints: 5_000 },
    incoming: { kind: 'fixed', perMinuteMicros: 6_000 },
  },
  currency: 'EUR',
};

export function samplePlan(changes: Partial<ChargingPlanInput> = {}): ChargingPlan {
  return chargingPlan.parse({ ...SAMPLE_PLAN_INPUT, ...changes });
}

export function deckRow(prefix: string, costPerMinuteMicros: number, changes: Partial<DeckRow> = {}): DeckRow {
  return {
    prefix,
    destination: `Destination ${prefix}`,
    costPerMinuteMicros,
    connectionFeeMicros: 0,
    firstIncrementSeconds: 60,
    nextIncrementSeconds: 60,
    effectiveFrom: new Date('2024-01-01T00:00:00Z'),
    ...changes,
  };
}

/** The sample deck: NANP, UK with a mobile prefix and a 2025 repricing, Germany. */
export const SAMPLE_DECK_ROWS: DeckRow[] = [
  deckRow('1', 5_000, { firstIncrementSeconds: 6, nextIncrementSeconds: 6 }),
  deckRow('44', 20_000, { firstIncrementSeconds: 60, nextIncrementSeconds: 6 }),
  deckRow('44', 30_000, { firstIncrementSeconds: 60, nextIncrementSeconds: 6, effectiveFrom: new Date('2025-01-01T00:00:00Z') }),
  deckRow('447', 80_000, { connectionFeeMicros: 10_000, firstIncrementSeconds: 1, nextIncrementSeconds: 1 }),
  deckRow('4477', 100_000, { firstIncrementSeconds: 1, nextIncrementSeconds: 1, effectiveFrom: new Date('2025-01-01T00:00:00Z') }),
  deckRow('49', 12_300, { firstIncrementSeconds: 60, nextIncrementSeconds: 60 }),
];
