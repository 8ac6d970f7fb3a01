// Rating benchmark (npm run bench:rating): imports a synthetic 50,000-prefix
// rate deck from CSV text, then rates 1,000,000 synthetic CDRs against it on
// one core and prints CDRs per second against the 200,000/s target.
// Deterministic (seeded) and bounded: it does a fixed amount of work and exits.
import { performance } from 'node:perf_hooks';
import {
  type Cdr,
  type ChargingPlan,
  type DeckRow,
  RateDeckIndex,
  type RateLookup,
  chargingPlan,
  parseRateDeck,
  ratedCharge,
} from '../server/billing/index.js';
import { seededRandom } from './seeded-random.js';

const PREFIXES = 50_000;
const CDRS = 1_000_000;
const TARGET_PER_SECOND = 200_000;
const CLASSES = ['national', 'mobile', 'international', 'premium'] as const;

function digitsOf(random: () => number, count: number): string {
  let digits = '';
  for (let i = 0; i < count; i++) digits += String(Math.floor(random() * 10));
  return digits;
}

/** 50,000 distinct prefixes of 2 to 8 digits, about a tenth with a second, newer version. */
function deckCsv(random: () => number): { csv: string; prefixes: string[] } {
  const prefixes = new Set<string>();
  while (prefixes.size < PREFIXES) {
    prefixes.add(String(1 + Math.floor(random() * 9)) + digitsOf(random, 1 + Math.floor(random() * 7)));
  }
  const lines = ['prefix,destination,cost_per_minute,connection_fee,increments,effective_date'];
  for (const prefix of prefixes) {
    const cost = (random() * 0.5).toFixed(6);
    lines.push(`${prefix},Destination ${prefix},${cost},0.0100,${random() < 0.5 ? '60/6' : '1/1'},2024-01-01`);
    if (random() < 0.1) lines.push(`${prefix},Destination ${prefix},${cost},0,30/6,2025-01-01`);
  }
  return { csv: lines.join('\n'), prefixes: [...prefixes] };
}

function syntheticCdrs(random: () => number, prefixes: string[]): Cdr[] {
  const starts = Array.from({ length: 1_000 }, (_, i) => new Date(Date.UTC(2024, 6, 1) + i * 3_600_000 * 12));
  const cdrs: Cdr[] = [];
  for (let i = 0; i < CDRS; i++) {
    const prefix = prefixes[Math.floor(random() * prefixes.length)] ?? '1';
    const answered = random() < 0.8;
    const startedAt = starts[i % starts.length] ?? new Date(0);
    cdrs.push({
      class: CLASSES[i % CLASSES.length] ?? 'national',
      direction: 'outgoing',
      dialedDigits: prefix + digitsOf(random, 12 - prefix.length),
      answeredAt: answered ? startedAt : null,
      billsec: answered ? Math.floor(random() * 600) : 0,
      startedAt,
    });
  }
  return cdrs;
}

const plan: ChargingPlan = chargingPlan.parse({
  name: 'Bench',
  allow: {
    incoming: true,
    publicNetwork: true,
    extensions: true,
    networkNumbers: true,
    classes: { local: true, national: true, mobile: true, international: true, toll_free: true, premium: true },
  },
  billing: 'postpaid',
  segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 6 },
  connectionFeeMicros: 20_000,
  prices: {
    local: { kind: 'fixed', perMinuteMicros: 10_000 },
    national: { kind: 'fixed', perMinuteMicros: 20_000 },
    mobile: { kind: 'relative', markupBasisPoints: 1_500 },
    international: { kind: 'relative', markupBasisPoints: 2_500 },
    toll_free: { kind: 'fixed', perMinuteMicros: 0 },
    premium: { kind: 'relative', markupBasisPoints: 5_000 },
  },
  currency: 'EUR',
});

function importedDeck(csv: string): { deck: RateLookup; rows: DeckRow[]; seconds: number } {
  const started = performance.now();
  const parsed = parseRateDeck(csv);
  if (parsed.errors.length > 0) throw new Error(`bench deck has errors: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  const deck = new RateDeckIndex(parsed.rows);
  return { deck, rows: parsed.rows, seconds: (performance.now() - started) / 1000 };
}

function ratedAll(cdrs: Cdr[], deck: RateLookup): { seconds: number; totalMinor: number; unrated: number } {
  let totalMinor = 0;
  let unrated = 0;
  const started = performance.now();
  for (const cdr of cdrs) {
    const charge = ratedCharge(cdr, plan, deck);
    if (charge.rated) totalMinor += charge.chargeMinor;
    else unrated++;
  }
  return { seconds: (performance.now() - started) / 1000, totalMinor, unrated };
}

function main(): void {
  const random = seededRandom(20_240_701);
  const { csv, prefixes } = deckCsv(random);
  const { deck, rows, seconds: importSeconds } = importedDeck(csv);
  console.log(`deck import: ${rows.length} rows, ${prefixes.length} prefixes, ${(csv.length / 1e6).toFixed(1)} MB CSV`);
  console.log(`deck import time (parse + index): ${(importSeconds * 1000).toFixed(0)} ms`);
  const cdrs = syntheticCdrs(random, prefixes);
  ratedAll(cdrs.slice(0, 50_000), deck); // warm-up, so the timing below is of optimised code
  const run = ratedAll(cdrs, deck);
  const perSecond = CDRS / run.seconds;
  console.log(`rated ${CDRS} CDRs in ${(run.seconds * 1000).toFixed(0)} ms on one core (unrated: ${run.unrated})`);
  console.log(`throughput: ${Math.round(perSecond).toLocaleString('en')} CDRs/s`);
  console.log(`target: ${TARGET_PER_SECOND.toLocaleString('en')} CDRs/s — ratio ${(perSecond / TARGET_PER_SECOND).toFixed(2)}×`);
  console.log(`checksum: ${run.totalMinor} minor units`);
}

main();
