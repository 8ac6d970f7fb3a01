// The upgrade to the nonce-count ring (migration 20261125T0000) on PGlite:
// counts of nonces still alive move into the slot of their expiry minute, so a
// replay of a nonce issued before the upgrade is still refused after it;
// counts of expired nonces are left behind.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, migrateTo, migrateToLatest, openDatabase } from '../../server/db/index.js';
import { acceptNonceCount } from '../../server/registrations/registration.repository.js';

let db: Database;
beforeAll(async () => {
  db = (await openDatabase({ dataDir: 'memory://' })).db;
  await migrateTo(db, '20261124T0100_registrar_nonce_collation');
});
afterAll(() => db.destroy());

it('carries the counts of live nonces into the ring and drops the expired ones', async () => {
  const alive = new Date(Date.now() + 240_000);
  const expired = new Date(Date.now() - 10_000);
  await sql`insert into sip_nonce_counts (nonce, nc, expires_at)
            values ('issued-before-upgrade', 3, ${alive}), ('long-gone', 1, ${expired})`.execute(db);

  expect(await migrateToLatest(db)).toContain('20261125T0000_nonce_count_ring');

  const rows = await sql<{ nonce: string; nc: number }>`select nonce, nc::int as nc from sip_nonce_counts`.execute(db);
  expect(rows.rows).toEqual([{ nonce: 'issued-before-upgrade', nc: 3 }]);
  expect(await acceptNonceCount(db, 'issued-before-upgrade', 3, alive)).toBe(false);
  expect(await acceptNonceCount(db, 'issued-before-upgrade', 4, alive)).toBe(true);
});
