// The benchmark's users: N subaccounts with known passwords in one account,
// written to callplane's database (PostgreSQL or PGlite) through the features
// and a bulk insert, to Kamailio's subscriber table, and to the SIPp CSV.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { accountSchemas } from '../../server/accounts/index.js';
import { loadConfig } from '../../server/config.js';
import { openFeatures } from '../../server/control-plane.js';
import type { Cluster } from './postgres.js';

export interface BenchUser {
  user: string;
  password: string;
}

export const REALM = 'bench.sip.callplane.local';
const BATCH = 1000;

/** Random passwords behind a letter: SIPp reads a password that starts with `0x` as hex bytes. */
export function benchUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, i) => ({ user: String(200000 + i), password: `k${crypto.randomBytes(12).toString('base64url')}` }));
}

/** SIPp injection file: `user;realm;[authentication username=… password=…]`, read in order. */
export function writeCsv(file: string, users: BenchUser[]): void {
  const rows = users.map((u) => `${u.user};${REALM};[authentication username=${u.user} password=${u.password}]`);
  fs.writeFileSync(file, `SEQUENTIAL\n${rows.join('\n')}\n`);
}

/** The environment a callplane process of the benchmark reads (the seeding opens the same database with it). */
export interface PlaneDatabase {
  DATABASE_URL?: string;
  CALLPLANE_DATA_DIR: string;
  CALLPLANE_SECRET_KEY: string;
}

/**
 * The operator, one customer account with realm REALM and `users` as its
 * subaccounts (extension 10000+i, SIP password sealed as the features seal it).
 * Subaccounts go in by batches of 1,000 rows per transaction: creating them
 * one by one through the API would take minutes and measure nothing here.
 */
export async function seedCallplane(database: PlaneDatabase, users: BenchUser[]): Promise<{ accountId: string; seconds: number }> {
  const started = performance.now();
  const config = loadConfig({ ...database, CALLPLANE_LOG_LEVEL: 'silent' });
  const opened = await openFeatures(config);
  try {
    const operator = await opened.features.accounts.ensureOperator(config.operatorName);
    const caller = { userId: null, label: 'bench', role: 'operator' as const, accountId: operator.id, subaccountId: null };
    const account = await opened.features.accounts.create(caller, accountSchemas.createAccount.parse({ name: 'Register benchmark', realm: REALM }));
    for (let from = 0; from < users.length; from += BATCH) {
      const rows = users.slice(from, from + BATCH).map((u, i) => ({
        account_id: account.id,
        kind: 'phone' as const,
        name: `Bench ${u.user}`,
        sip_user: u.user,
        sip_password_enc: opened.box.seal(u.password),
        extension: String(10000 + from + i),
        caller_id_name: null,
        caller_id_number: null,
        conference_passcode_enc: null,
        cost_centre: null,
      }));
      await opened.db.transaction().execute((trx) => trx.insertInto('subaccounts').values(rows).execute());
    }
    return { accountId: account.id, seconds: (performance.now() - started) / 1000 };
  } finally {
    await opened.close();
  }
}

/** Live bindings in a callplane database, counted by a process of its own (PGlite: only while no server holds it). */
export async function callplaneBindings(database: PlaneDatabase): Promise<number> {
  const opened = await openFeatures(loadConfig({ ...database, CALLPLANE_LOG_LEVEL: 'silent' }));
  try {
    const row = await opened.db
      .selectFrom('registrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('expires_at', '>', new Date())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await opened.close();
  }
}

/** Kamailio's own database: its version, subscriber and location tables, and the users with their MD5 HA1. */
export async function seedKamailio(cluster: Cluster, database: string, users: BenchUser[]): Promise<void> {
  await cluster.query('postgres', `CREATE DATABASE ${database}`);
  for (const part of ['standard', 'auth_db', 'usrloc']) {
    await cluster.query(database, fs.readFileSync(`/usr/share/kamailio/postgres/${part}-create.sql`, 'utf8'));
  }
  const md5 = (text: string) => crypto.createHash('md5').update(text).digest('hex');
  for (let from = 0; from < users.length; from += BATCH) {
    const batch = users.slice(from, from + BATCH);
    await cluster.query(
      database,
      `INSERT INTO subscriber (username, domain, password, ha1, ha1b)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        batch.map((u) => u.user),
        batch.map(() => REALM),
        batch.map((u) => u.password),
        batch.map((u) => md5(`${u.user}:${REALM}:${u.password}`)),
        batch.map((u) => md5(`${u.user}@${REALM}:${REALM}:${u.password}`)),
      ],
    );
  }
}
