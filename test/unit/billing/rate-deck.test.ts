// Rate deck CSV import: exact decimal money, every bad row reported with its
// line and field, and nothing imported while any row is bad.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RateDeckIndex, parseRateDeck } from '../../../server/billing/index.js';

const HEADER = 'prefix,destination,cost_per_minute,connection_fee,increments,effective_date';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');

describe('parseRateDeck', () => {
  it('reads rows with money converted exactly to micros', () => {
    const parsed = parseRateDeck(
      csv('44,United Kingdom,0.0123,0.01,60/6,2024-01-01', '"1","Korea, Republic of ""South""",1,0,1/1,2024-02-29'),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        prefix: '44',
        destination: 'United Kingdom',
        costPerMinuteMicros: 12_300,
        connectionFeeMicros: 10_000,
        firstIncrementSeconds: 60,
        nextIncrementSeconds: 6,
        effectiveFrom: new Date('2024-01-01T00:00:00Z'),
      },
      {
        prefix: '1',
        destination: 'Korea, Republic of "South"',
        costPerMinuteMicros: 1_000_000,
        connectionFeeMicros: 0,
        firstIncrementSeconds: 1,
        nextIncrementSeconds: 1,
        effectiveFrom: new Date('2024-02-29T00:00:00Z'),
      },
    ]);
  });

  it.each([
    ['0.000001', 1],
    ['0.1', 100_000],
    ['0.29', 290_000], // 0.29 × 1e6 in floating point is 290,000.00000000006
    ['1.005', 1_005_000],
    ['12.345678', 12_345_678],
    ['1000', 1_000_000_000],
    ['0', 0],
  ])('reads %s major units as %i micros, without floating point', (text, micros) => {
    const parsed = parseRateDeck(csv(`44,UK,${text},0,60/6,2024-01-01`));
    expect(parsed.rows[0]?.costPerMinuteMicros).toBe(micros);
  });

  it('accepts columns in any order, any case, with a BOM, CRLF line ends and padding', () => {
    const text = '\uFEFFEffective_Date,PREFIX,destination,increments,connection_fee,cost_per_minute\r\n 2024-01-01 , 49 ,Germany, 60/60 ,0,0.5\r\n';
    const parsed = parseRateDeck(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toMatchObject([{ prefix: '49', destination: 'Germany', costPerMinuteMicros: 500_000, firstIncrementSeconds: 60 }]);
  });

  it('refuses an empty file: the header row is required', () => {
    expect(parseRateDeck('')).toEqual({ rows: [], errors: [{ line: 1, field: 'csv', message: expect.stringContaining('header') }] });
  });

  it('a header-only deck has no rows and no errors', () => {
    expect(parseRateDeck(`${HEADER}\n`)).toEqual({ rows: [], errors: [] });
  });

  it.each([
    ['a file without a header row', '1,USA,0.01,0,6/6,2024-01-01', 'csv'],
    ['a missing column', 'prefix,destination,cost_per_minute,connection_fee,effective_date', 'increments'],
    ['an unknown column', `${HEADER},rate`, 'rate'],
    ['a repeated column', `${HEADER},prefix`, 'prefix'],
  ])('refuses %s on line 1, field %s', (_name, header, field) => {
    const parsed = parseRateDeck(`${header}\n44,UK,0.01,0,60/6,2024-01-01`);
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors).toEqual([expect.objectContaining({ line: 1, field })]);
  });

  it.each([
    ['+44,UK,0.01,0,60/6,2024-01-01', 'prefix'],
    ['044,UK,0.01,0,60/6,2024-01-01', 'prefix'],
    ['44a,UK,0.01,0,60/6,2024-01-01', 'prefix'],
    ['1234567890123456,UK,0.01,0,60/6,2024-01-01', 'prefix'],
    ['44,,0.01,0,60/6,2024-01-01', 'destination'],
    ['44,UK,0.0000001,0,60/6,2024-01-01', 'cost_per_minute'], // 7 decimals: not whole micros
    ['44,UK,-0.01,0,60/6,2024-01-01', 'cost_per_minute'],
    ['44,UK,1e-3,0,60/6,2024-01-01', 'cost_per_minute'],
    ['44,UK,.5,0,60/6,2024-01-01', 'cost_per_minute'],
    ['44,UK,1000.000001,0,60/6,2024-01-01', 'cost_per_minute'],
    ['44,UK,0.01,EUR 1,60/6,2024-01-01', 'connection_fee'],
    ['44,UK,0.01,0,60,2024-01-01', 'increments'],
    ['44,UK,0.01,0,0/6,2024-01-01', 'increments'],
    ['44,UK,0.01,0,60/0,2024-01-01', 'increments'],
    ['44,UK,0.01,0,60/6,2024-02-30', 'effective_date'],
    ['44,UK,0.01,0,60/6,2024/01/01', 'effective_date'],
    ['44,UK,0.01,0,60/6,0099-01-01', 'effective_date'], // Date.UTC would read year 99 as 1999
    ['44,UK,0,01,0,60/6,2024-01-01', 'row'], // a decimal comma splits the field
    ['44,UK,0.01,0,60/6', 'row'],
  ])('refuses %s in field %s', (line, field) => {
    const parsed = parseRateDeck(csv('1,USA,0.01,0,6/6,2024-01-01', line));
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors).toEqual([expect.objectContaining({ line: 3, field })]);
  });

  it('reports every bad row and field with its line number (blank lines counted), and imports nothing', () => {
    const parsed = parseRateDeck(
      csv(
        '1,USA,0.01,0,6/6,2024-01-01', // line 2: good
        '', // line 3: blank
        'x1,Nowhere,abc,0,6/6,2024-01-01', // line 4: two bad fields
        '44,UK,0.02,0,60/6,2024-01-01', // line 5: good
        '49,Germany,0.01,0,60/60,2024-13-01', // line 6
      ),
    );
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 4, field: 'prefix' },
      { line: 4, field: 'cost_per_minute' },
      { line: 6, field: 'effective_date' },
    ]);
  });

  it('refuses the same prefix twice on the same date, naming the first line (no "last wins")', () => {
    const parsed = parseRateDeck(csv('44,UK,0.02,0,60/6,2024-01-01', '1,USA,0.01,0,6/6,2024-01-01', '44,UK,0.03,0,60/6,2024-01-01'));
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors).toEqual([
      { line: 4, field: 'prefix', message: 'prefix 44 already has a rate effective that day on line 2' },
    ]);
  });

  it('keeps the same prefix on different dates as versions', () => {
    const parsed = parseRateDeck(csv('44,UK,0.02,0,60/6,2024-01-01', '44,UK,0.03,0,60/6,2025-01-01'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.costPerMinuteMicros)).toEqual([20_000, 30_000]);
  });

  it('reports a quote left open with the line where the file became unreadable', () => {
    const parsed = parseRateDeck(csv('44,UK,0.02,0,60/6,2024-01-01', '49,"Germany,0.01,0,60/60,2024-01-01'));
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors).toEqual([expect.objectContaining({ line: 3, field: 'csv' })]);
  });

  it('reports progress every N rows and once at the end', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `${i + 1},D,0.01,0,6/6,2024-01-01`);
    const progress: number[] = [];
    parseRateDeck(csv(...rows), { progressEvery: 2, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([2, 4, 5]);
  });

  it('reads the example deck in docs/rating.md, and 447700900123 matches 447 in 2024 and 4477 in 2025', () => {
    const doc = fs.readFileSync(new URL('../../../docs/rating.md', import.meta.url), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const parsed = parseRateDeck(example);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(7);
    const index = new RateDeckIndex(parsed.rows);
    expect(index.lookup('447700900123', new Date('2024-06-01T00:00:00Z'))?.prefix).toBe('447');
    expect(index.lookup('447700900123', new Date('2025-06-01T00:00:00Z'))?.prefix).toBe('4477');
  });

  it('reports header errors on the header’s own line when blank lines come first', () => {
    const parsed = parseRateDeck(`\n\nprefix,destination,cost_per_minute,connection_fee,increments\n44,UK,0.01,0,60/6`);
    expect(parsed.errors).toEqual([expect.objectContaining({ line: 3, field: 'effective_date' })]);
  });
});
