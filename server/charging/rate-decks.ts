// Rate decks: the operator imports a carrier's price list as CSV. The whole
// file is checked first — any bad row is reported with its line and field and
// nothing is stored; then rows are written in batches while the deck shows its
// progress, and the deck becomes the one in force (from its effective date)
// only when every row is in. Rating reads decks through DeckCache.
import { z } from 'zod';
import type { Caller } from '../accounts/index.js';
import { type DeckError, RateDeckIndex, type RateLookup, parseRateDeck } from '../billing/index.js';
import type { Database, RateDeckRow } from '../db/index.js';
import { DomainError, Forbidden, InvalidField, NotFound } from '../errors.js';
import * as repo from './rate-deck.repository.js';

const BATCH = 2_000;

export interface DeckImport {
  name: string;
  currency: string;
  effectiveFrom: Date;
}

/** Every bad row (the first 100) with its line and field; nothing of the file is imported. */
export function deckErrors(errors: DeckError[]): DomainError {
  const first = errors[0];
  const message = `${errors.length} row(s) cannot be imported, nothing was; the first: line ${first?.line}, ${first?.field}: ${first?.message}`;
  return new DomainError('invalid', message, 'csv', errors.slice(0, 100));
}

export const deckView = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  effectiveFrom: z.string(),
  status: z.enum(['importing', 'ready', 'failed']),
  rowsTotal: z.number().int(),
  rowsDone: z.number().int(),
  progressPercent: z.number().int(),
  prefixCount: z.number().int(),
  failure: z.string().nullable(),
  createdAt: z.string(),
  readyAt: z.string().nullable(),
});
export type DeckView = z.infer<typeof deckView>;

export function toDeckView(row: RateDeckRow): DeckView {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    effectiveFrom: row.effective_from.toISOString(),
    status: row.status,
    rowsTotal: row.rows_total,
    rowsDone: row.rows_done,
    progressPercent: row.rows_total === 0 ? 100 : Math.floor((row.rows_done * 100) / row.rows_total),
    prefixCount: row.prefix_count,
    failure: row.failure,
    createdAt: row.created_at.toISOString(),
    readyAt: row.ready_at?.toISOString() ?? null,
  };
}

export class RateDecks {
  constructor(private readonly deps: { db: Database; cache: DeckCache; log?: { warn(o: object, m: string): void } }) {}

  /**
   * Checks the CSV and starts the import; answers at once with the deck
   * (status importing). `finished` settles when the deck is ready or failed.
   */
  async start(caller: Caller, input: DeckImport, csv: string): Promise<{ deck: DeckView; finished: Promise<DeckView> }> {
    staffOnly(caller);
    const parsed = parseRateDeck(csv);
    if (parsed.errors.length > 0) throw deckErrors(parsed.errors);
    if (parsed.rows.length === 0) throw new InvalidField('csv', 'the deck has no rows');
    const deck = await repo.insertDeck(this.deps.db, { ...input, rowsTotal: parsed.rows.length, createdBy: caller.label });
    const finished = this.write(deck.id, parsed.rows);
    return { deck: toDeckView(deck), finished };
  }

  async list(caller: Caller): Promise<DeckView[]> {
    staffOnly(caller);
    return (await repo.decks(this.deps.db)).map(toDeckView);
  }

  async get(caller: Caller, id: string): Promise<DeckView> {
    staffOnly(caller);
    const row = await repo.deckById(this.deps.db, id);
    if (!row) throw new NotFound('rate deck');
    return toDeckView(row);
  }

  private async write(deckId: string, rows: Parameters<typeof repo.insertBatch>[2]): Promise<DeckView> {
    const { db } = this.deps;
    try {
      for (let at = 0; at < rows.length; at += BATCH) {
        await repo.insertBatch(db, deckId, rows.slice(at, at + BATCH), Math.min(rows.length, at + BATCH));
      }
      await repo.markReady(db, deckId, new RateDeckIndex(rows).prefixCount, new Date());
      this.deps.cache.invalidate();
    } catch (error) {
      this.deps.log?.warn({ deckId, err: (error as Error).message }, 'rate deck import failed');
      await repo.markFailed(db, deckId, 'the import stopped; import the file again').catch(() => undefined);
    }
    const row = await repo.deckById(db, deckId);
    if (!row) throw new NotFound('rate deck');
    return toDeckView(row);
  }
}

function staffOnly(caller: Caller): void {
  // Rate decks are the operator's carrier costs; resellers and accounts never see them.
  if (caller.role !== 'operator') throw new Forbidden();
}

/**
 * The deck in force at a moment, as an in-memory index; rebuilt after an
 * import (callers wait for the new list) and every `ttlMs` (in the
 * background: callers keep the list they had meanwhile, so no authorization
 * waits for a periodic reload).
 */
export class DeckCache {
  private decks: Promise<DeckList> | undefined;
  /** what `decks` resolved to, while `decks` is still that promise: answers atOnce() */
  private ready: DeckList | undefined;
  private refreshing = false;
  private readonly indexes = new Map<string, Promise<RateDeckIndex>>();
  private readonly built = new Map<string, RateDeckIndex>();

  constructor(private readonly deps: { db: Database; ttlMs?: number }) {}

  private get ttlMs(): number {
    return this.deps.ttlMs ?? 30_000;
  }

  invalidate(): void {
    this.decks = undefined;
    this.ready = undefined;
  }

  /** The lookup for calls started at `at`, with the deck's currency; undefined when no deck is in force. */
  async at(at: Date): Promise<{ deck: RateLookup; currency: string } | undefined> {
    const { list } = await this.readyList();
    const deck = list.find((d) => d.effective_from.getTime() <= at.getTime());
    if (!deck) return undefined;
    let index = this.indexes.get(deck.id);
    if (!index) {
      index = repo.deckRows(this.deps.db, deck.id).then((rows) => new RateDeckIndex(rows));
      index.then((built) => this.built.set(deck.id, built), () => this.indexes.delete(deck.id));
      this.indexes.set(deck.id, index);
    }
    return { deck: await index, currency: deck.currency };
  }

  /**
   * What at() would answer, at once, when the list and the deck's index are in
   * memory (null: no deck in force); undefined when at() has to wait for them.
   */
  atOnce(at: Date): { deck: RateLookup; currency: string } | null | undefined {
    const current = this.ready;
    if (!current || !this.decks) return undefined;
    if (Date.now() - current.loadedAt >= this.ttlMs) this.refresh(this.decks);
    const deck = current.list.find((d) => d.effective_from.getTime() <= at.getTime());
    if (!deck) return null;
    const index = this.built.get(deck.id);
    return index && { deck: index, currency: deck.currency };
  }

  private async readyList(): Promise<DeckList> {
    const held = this.decks;
    const current = held ? await held : undefined;
    if (current) {
      if (Date.now() - current.loadedAt >= this.ttlMs) this.refresh(held!);
      return current;
    }
    const loading = this.load();
    this.hold(loading);
    loading.catch(() => {
      if (this.decks === loading) this.decks = undefined;
    });
    return loading;
  }

  /** `decks` becomes `list`; `ready` follows once it resolves, unless it was replaced meanwhile. */
  private hold(list: Promise<DeckList>): void {
    this.decks = list;
    this.ready = undefined;
    list.then((value) => {
      if (this.decks === list) this.ready = value;
    }, () => undefined);
  }

  /** Replaces `held` with a fresh list unless an import invalidated it meanwhile; a failure keeps it until the next try. */
  private refresh(held: Promise<DeckList>): void {
    if (this.refreshing) return;
    this.refreshing = true;
    void this.load()
      .then((fresh) => {
        if (this.decks === held) {
          this.decks = Promise.resolve(fresh);
          this.ready = fresh;
        }
      }, () => undefined)
      .finally(() => (this.refreshing = false));
  }

  private load(): Promise<DeckList> {
    return repo.readyDecks(this.deps.db).then((list) => ({ list, loadedAt: Date.now() }));
  }
}

type DeckList = { list: Awaited<ReturnType<typeof repo.readyDecks>>; loadedAt: number };
