// DeckCache answers an authorization at once when the deck in force and its
// index are in memory (atOnce), and says so (undefined) whenever at() would
// have to read the database: before the first read, after an import through
// this process, and for a deck version whose index was never built. Decks are
// imported through the API, as an operator does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeckCache } from '../../server/charging/index.js';
import { CsvBody, type TestPlane, startTestPlane } from '../support/plane.js';
import { until } from '../support/until.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(async () => {
  await plane.stop();
});

const deckCsv = (perMinute: string) =>
  ['prefix,destination,cost_per_minute,connection_fee,increments,effective_date', `49,Germany,${perMinute},0,60/60,2026-01-01`].join('\n');

async function importDeck(name: string, effectiveFrom: string, perMinute: string): Promise<void> {
  const path = `/rate-decks?name=${name}&currency=EUR&effectiveFrom=${effectiveFrom}&wait=true`;
  expect((await plane.operator.request('post', path, new CsvBody(deckCsv(perMinute)))).status).toBe(201);
}

const CALL_TIME = new Date('2026-11-23T10:00:00Z');

describe('DeckCache.atOnce', () => {
  it('answers what at() answered without waiting, and nothing it would have to read first', async () => {
    await importDeck('Autumn', '2026-10-01T00:00:00Z', '0.02');
    const cache = new DeckCache({ db: plane.db });
    expect(cache.atOnce(CALL_TIME)).toBeUndefined(); // nothing read yet
    const loaded = await cache.at(CALL_TIME);
    expect(loaded?.currency).toBe('EUR');
    expect(cache.atOnce(CALL_TIME)).toEqual(loaded);
    expect(cache.atOnce(CALL_TIME)?.deck).toBe(loaded?.deck);
    expect(cache.atOnce(new Date('2026-09-01T00:00:00Z'))).toBeNull(); // the list is known: no deck in force then
    cache.invalidate(); // an import through this process
    expect(cache.atOnce(CALL_TIME)).toBeUndefined();
    expect((await cache.at(CALL_TIME))?.deck).toBe(loaded?.deck); // the same version's index is kept
  });

  it('keeps answering the old list past its TTL while a fresh one loads, and leaves a new version to at()', async () => {
    const cache = new DeckCache({ db: plane.db, ttlMs: 0 });
    const before = await cache.at(CALL_TIME);
    await importDeck('Winter', '2026-11-01T00:00:00Z', '0.03'); // in force at CALL_TIME, imported elsewhere
    expect(cache.atOnce(CALL_TIME)?.deck).toBe(before?.deck); // the old list at once; a refresh starts
    // once the refresh lands the new version is in force, but its index was never built: at() builds it
    await until(async () => cache.atOnce(CALL_TIME) === undefined || undefined);
    const after = await cache.at(CALL_TIME);
    expect(after?.deck).not.toBe(before?.deck);
    expect(cache.atOnce(CALL_TIME)?.deck).toBe(after?.deck);
  });
});
