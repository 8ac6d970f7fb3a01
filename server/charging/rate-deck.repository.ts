// SQL for rate decks: the deck row with its import progress, its rate rows
// written in batches, and the ready decks rating reads.
import type { Database, RateDeckRow } from '../db/index.js';
import type { DeckRow } from '../billing/index.js';

export async function insertDeck(
  db: Database,
  deck: { name: string; currency: string; effectiveFrom: Date; rowsTotal: number; createdBy: string },
): Promise<RateDeckRow> {
  return db
    .insertInto('rate_decks')
    .values({
      name: deck.name,
      currency: deck.currency,
      effective_from: deck.effectiveFrom,
      status: 'importing',
      rows_total: deck.rowsTotal,
      failure: null,
      ready_at: null,
      created_by: deck.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One batch of rows and the progress it makes, in one transaction. */
export async function insertBatch(db: Database, deckId: string, rows: readonly DeckRow[], rowsDone: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rate_deck_rows')
      .values(
        rows.map((r) => ({
          deck_id: deckId,
          prefix: r.prefix,
          destination: r.destination,
          cost_per_minute_micros: r.costPerMinuteMicros,
          connection_fee_micros: r.connectionFeeMicros,
          first_increment_s: r.firstIncrementSeconds,
          next_increment_s: r.nextIncrementSeconds,
          effective_from: r.effectiveFrom,
        })),
      )
      .execute();
    await trx.updateTable('rate_decks').set({ rows_done: rowsDone }).where('id', '=', deckId).execute();
  });
}

export async function markReady(db: Database, deckId: string, prefixCount: number, at: Date): Promise<void> {
  await db.updateTable('rate_decks').set({ status: 'ready', prefix_count: prefixCount, ready_at: at }).where('id', '=', deckId).execute();
}

/** A failed import keeps its deck row (to show why) and none of its rates. */
export async function markFailed(db: Database, deckId: string, failure: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('rate_deck_rows').where('deck_id', '=', deckId).execute();
    await trx.updateTable('rate_decks').set({ status: 'failed', failure }).where('id', '=', deckId).execute();
  });
}

export async function decks(db: Database): Promise<RateDeckRow[]> {
  return db.selectFrom('rate_decks').selectAll().orderBy('created_at', 'desc').execute();
}

export async function deckById(db: Database, id: string): Promise<RateDeckRow | undefined> {
  return db.selectFrom('rate_decks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ready decks, newest effective first: the one in force at t is the first with effective_from ≤ t. */
export async function readyDecks(db: Database): Promise<Pick<RateDeckRow, 'id' | 'currency' | 'effective_from'>[]> {
  return db
    .selectFrom('rate_decks')
    .select(['id', 'currency', 'effective_from'])
    .where('status', '=', 'ready')
    .orderBy('effective_from', 'desc')
    .orderBy('ready_at', 'desc')
    .execute();
}

export async function deckRows(db: Database, deckId: string): Promise<DeckRow[]> {
  const rows = await db.selectFrom('rate_deck_rows').selectAll().where('deck_id', '=', deckId).execute();
  return rows.map((r) => ({
    prefix: r.prefix,
    destination: r.destination,
    costPerMinuteMicros: r.cost_per_minute_micros,
    connectionFeeMicros: r.connection_fee_micros,
    firstIncrementSeconds: r.first_increment_s,
    nextIncrementSeconds: r.next_increment_s,
    effectiveFrom: r.effective_from,
  }));
}

/** Decks left 'importing' by a process that stopped mid-import. */
export async function abandonedImports(db: Database, before: Date): Promise<string[]> {
  const rows = await db.selectFrom('rate_decks').select('id').where('status', '=', 'importing').where('created_at', '<', before).execute();
  return rows.map((r) => r.id);
}
