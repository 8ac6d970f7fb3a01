// Opens the database: PGlite in the data dir by default, a PostgreSQL server
// when DATABASE_URL is set. Both speak the same SQL and run the same migrations.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
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
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres' };
  }
  let location = target.dataDir ?? 'memory://';
  if (!location.startsWith('memory://')) {
    location = path.join(location, 'pglite');
    fs.mkdirSync(location, { recursive: true });
  }
  const pglite = await PGlite.create(location);
  return { db: new Kysely<DB>({ dialect: new PGliteDialect(pglite) }), kind: 'pglite' };
}
