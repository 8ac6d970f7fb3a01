// The storage layer: the PGlite dialect serialises transactions on its single
// connection, and constraint violations become errors that name the field.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, domainErrorFromDatabase, migrateToLatest, openDatabase } from '../../server/db/index.js';

let db: Database;
beforeAll(async () => {
  db = (await openDatabase({ dataDir: 'memory://' })).db;
  await migrateToLatest(db);
});
afterAll(() => db.destroy());

describe('PGlite dialect', () => {
  it('does not interleave concurrent transactions', async () => {
    await sql`create table counter (n int)`.execute(db);
    await sql`insert into counter values (0)`.execute(db);
    const bump = () =>
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
        await new Promise((r) => setTimeout(r, 2));
        await sql`update counter set n = ${rows[0]!.n + 1}`.execute(trx);
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(db);
    expect(rows[0]!.n).toBe(20);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into counter values (100)`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await sql<{ c: number }>`select count(*)::int as c from counter where n = 100`.execute(db);
    expect(rows[0]!.c).toBe(0);
  });

  it('is idempotent: migrating again applies nothing', async () => {
    expect(await migrateToLatest(db)).toEqual([]);
  });
});

describe('constraint errors', () => {
  it.each([
    [{ code: '23505', constraint: 'uq_subaccounts__extension' }, 'conflict', 'extension'],
    [{ code: '23505', constraint: 'uq_devices__mac' }, 'conflict', 'mac'],
    [{ code: '23505', constraint: 'uq_subaccounts__network_number' }, 'conflict', 'networkNumber'],
    [{ code: '23503', constraint: 'fk_phone_numbers__destination' }, 'conflict', 'destination'],
  ])('maps %j to %s on %s', (error, code, field) => {
    expect(domainErrorFromDatabase(error)).toMatchObject({ code, field });
  });

  it('leaves other errors alone', () => {
    expect(domainErrorFromDatabase(new Error('connection lost'))).toBeUndefined();
  });
});
