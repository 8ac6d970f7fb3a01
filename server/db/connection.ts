// Opens the database: PGlite in the data dir by default, a PostgreSQL server
// when DATABASE_URL is set. Both speak the same SQL and run the same migrations.
// On both, a query of several statements without parameters (`a; b`) goes in
// one round trip as one implicit transaction, and answers the last statement's
// rows — authorization uses this to lock and reserve in a single round trip.
// A statement whose text starts with `/*prepare:name*/` is a named prepared
// statement on PostgreSQL (PGlite reads the comment as a comment).
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

export interface DatabaseTarget {
  /** postgres:// URL of a server; when absent, embedded PGlite. */
  url?: string | undefined;
  /** PGlite directory; `memory://` (or absent) keeps it in memory. */
  dataDir?: string | undefined;
}

const INT8 = 20;

export async function openDatabase(target: DatabaseTarget): Promise<{ db: Database; kind: 'postgres' | 'pglite' }> {
  if (target.url) {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      // counts and sums fit in a double; minor units stay below 2^53
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection the server ended (restart, DROP DATABASE … WITH (FORCE))
    // leaves the pool; without a listener its error would end the process.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: lastResultPool(pool) }) });
    return { db, kind: 'postgres' };
  }
  let location = target.dataDir ?? 'memory://';
  if (!location.startsWith('memory://')) {
    location = path.join(location, 'pglite');
    fs.mkdirSync(location, { recursive: true });
  }
  // Loaded only when used: on PostgreSQL its ~3 MB of code would sit in the heap for nothing
  // (every major GC marks it; the SIP edge shares this process).
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(location);
  return { db: new Kysely<DB>({ dialect: new PGliteDialect(pglite) }), kind: 'pglite' };
}

/** `/*prepare:name*\/ …`: a hot statement the server parses and plans once per connection, not per call. */
const PREPARED = /^\/\*prepare:([a-z_]+)\*\//;

/**
 * node-postgres answers a multi-statement query with one result per statement;
 * Kysely reads one. Hand Kysely the last, as the PGlite dialect does.
 */
function lastResultPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let facade = wrapped.get(client);
    if (!facade) {
      facade = {
        query: (async (text: string, parameters: readonly unknown[]) => {
          const name = PREPARED.exec(text)?.[1];
          const result = (await (name ? client.query({ name, text, values: [...parameters] }) : client.query(text, [...parameters]))) as
            | pg.QueryResult
            | pg.QueryResult[];
          return Array.isArray(result) ? result.at(-1)! : result;
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      wrapped.set(client, facade);
    }
    return facade;
  };
  return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
}
