// Rate deck lookups: longest-prefix match, the version in force at a moment,
// and the numbers that can match nothing.
import { describe, expect, it } from 'vitest';
import { RateDeckIndex, parseRateDeck } from '../../../server/billing/index.js';
import { Conflict, InvalidField } from '../../../server/errors.js';
import { SAMPLE_DECK_ROWS, deckRow } from './sample-plan.js';

const deck = new RateDeckIndex(SAMPLE_DECK_ROWS);
const JUNE_2024 = new Date('2024-06-01T00:00:00Z');
const JUNE_2025 = new Date('2025-06-01T00:00:00Z');

describe('RateDeckIndex.lookup', () => {
  it.each([
    ['14155550100', JUNE_2024, '1', 5_000],
    ['442079460000', JUNE_2024, '44', 20_000],
    ['442079460000', JUNE_2025, '44', 30_000], // the 2025 version of 44
    ['447700900123', JUNE_2024, '447', 80_000], // 447 beats 44; 4477 does not exist yet
    ['447700900123', JUNE_2025, '4477', 100_000], // from 2025 the longer 4477 wins
    ['447800900123', JUNE_2025, '447', 80_000],
    ['+447700900123', JUNE_2025, '4477', 100_000], // a leading + is tolerated
    ['44', JUNE_2024, '44', 20_000], // the number is exactly a prefix
    ['4', JUNE_2024, undefined, undefined], // shorter than every prefix that starts with it
    ['999123', JUNE_2024, undefined, undefined],
    ['0044207946', JUNE_2024, undefined, undefined], // a national/international access code is not E.164
    ['', JUNE_2024, undefined, undefined],
    ['44*21#', JUNE_2024, '44', 20_000], // digits stop at the first non-digit
    ['14155550100', new Date('2023-12-31T23:59:59Z'), undefined, undefined], // before the deck's first date
  ])('%s at %s → prefix %s, %s micros/min', (digits, at, prefix, cost) => {
    const row = deck.lookup(digits, at);
    expect(row?.prefix).toBe(prefix);
    expect(row?.costPerMinuteMicros).toBe(cost);
  });

  it('takes the latest version whose effective date is at or before the call, whatever the input order', () => {
    const versions = ['2025-01-01', '2023-01-01', '2024-07-01', '2024-01-01'].map((day, i) =>
      deckRow('33', (i + 1) * 1_000, { effectiveFrom: new Date(`${day}T00:00:00Z`) }),
    );
    const index = new RateDeckIndex(versions);
    const costAt = (iso: string) => index.lookup('33123456789', new Date(iso))?.costPerMinuteMicros;
    expect(costAt('2022-12-31T23:59:59Z')).toBeUndefined();
    expect(costAt('2023-01-01T00:00:00Z')).toBe(2_000);
    expect(costAt('2024-06-30T23:59:59Z')).toBe(4_000);
    expect(costAt('2024-07-01T00:00:00Z')).toBe(3_000);
    expect(costAt('2030-01-01T00:00:00Z')).toBe(1_000);
  });

  it('matches every length up to 15 digits, and 15-digit prefixes stay exact as numbers', () => {
    const index = new RateDeckIndex([deckRow('999999999999999', 7), deckRow('99999999999999', 6)]);
    expect(index.lookup('999999999999999', JUNE_2024)?.costPerMinuteMicros).toBe(7);
    expect(index.lookup('999999999999998', JUNE_2024)?.costPerMinuteMicros).toBe(6);
  });

  it('counts distinct prefixes', () => {
    expect(deck.prefixCount).toBe(5); // 1, 44 (two versions), 447, 4477, 49
  });
});

describe('RateDeckIndex construction', () => {
  it('refuses two rates for one prefix on one date: a tie has no right answer', () => {
    expect(() => new RateDeckIndex([deckRow('44', 1), deckRow('44', 2)])).toThrow(Conflict);
    expect(() => new RateDeckIndex([deckRow('44', 1), deckRow('44', 2)])).toThrow('prefix 44 has two rates effective 2024-01-01');
  });

  it.each(['044', '+44', '', '4a'])('refuses the prefix %j', (prefix) => {
    expect(() => new RateDeckIndex([deckRow(prefix, 1)])).toThrow(InvalidField);
  });

  it('indexes what parseRateDeck reads', () => {
    const parsed = parseRateDeck('prefix,destination,cost_per_minute,connection_fee,increments,effective_date\n44,UK,0.02,0,60/6,2024-01-01\n');
    expect(new RateDeckIndex(parsed.rows).lookup('442079460000', JUNE_2024)?.destination).toBe('UK');
  });
});
