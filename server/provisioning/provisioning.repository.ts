// SQL for provisioning's own tables: account keys and allow lists, device
// settings, the fetch audit, misses and bans, discovered devices, uploads.
import { type Insertable, type Updateable, sql } from 'kysely';
import type { Database, DeviceProvisioningTable, ProvisioningFetchTable } from '../db/index.js';

export function accountKey(db: Database, accountId: string) {
  return db.selectFrom('provisioning_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** Sets the account's key (a first one, or a rotation); the allow list stays. */
export async function storeKey(db: Database, accountId: string, keyHash: string, keyEnc: string) {
  return db
    .insertInto('provisioning_accounts')
    .values({ account_id: accountId, key_hash: keyHash, key_enc: keyEnc })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ key_hash: keyHash, key_enc: keyEnc, rotated_at: new Date(), updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setAllow(db: Database, accountId: string, allow: string[]) {
  await db.updateTable('provisioning_accounts').set({ allow, updated_at: new Date() }).where('account_id', '=', accountId).execute();
}

export function deviceSettings(db: Database, deviceId: string) {
  return db.selectFrom('device_provisioning').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
}

/** Creates the device's settings row (with its random admin password) unless one exists. */
export async function ensureDeviceSettings(db: Database, deviceId: string, adminPasswordEnc: string) {
  await db
    .insertInto('device_provisioning')
    .values({ device_id: deviceId, admin_password_enc: adminPasswordEnc })
    .onConflict((oc) => oc.column('device_id').doNothing())
    .execute();
  return db.selectFrom('device_provisioning').selectAll().where('device_id', '=', deviceId).executeTakeFirstOrThrow();
}

export async function updateDeviceSettings(db: Database, deviceId: string, changes: Updateable<DeviceProvisioningTable>) {
  return db
    .updateTable('device_provisioning')
    .set({ ...changes, updated_at: new Date() })
    .where('device_id', '=', deviceId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One statement per batch, eight array parameters however many rows: far cheaper to parse than a VALUES list. */
export async function insertFetches(db: Database, rows: Insertable<ProvisioningFetchTable>[]) {
  if (!rows.length) return;
  const column = <T>(pick: (r: Insertable<ProvisioningFetchTable>) => T) => rows.map(pick);
  await sql`insert into provisioning_fetches (at, account_id, device_id, mac, address, user_agent, file, result)
    select * from unnest(${column((r) => isoTime(r.at))}::timestamptz[], ${column((r) => r.account_id ?? null)}::uuid[],
      ${column((r) => r.device_id ?? null)}::uuid[], ${column((r) => r.mac ?? null)}::text[], ${column((r) => r.address)}::text[],
      ${column((r) => r.user_agent)}::text[], ${column((r) => r.file)}::text[], ${column((r) => r.result)}::text[])`.execute(db);
}

/** ISO text: the driver's own date formatting is slower, and this runs for every fetch. */
const isoTime = (at: Date | string | undefined) => (at === undefined ? new Date() : new Date(at)).toISOString();

/** A device's fetches, newest first, each flagged when it was the first from its address. */
export async function fetchesOf(db: Database, deviceId: string, page: { limit: number; offset: number }) {
  const base = db.selectFrom('provisioning_fetches as f').where('f.device_id', '=', deviceId);
  const [rows, count] = await Promise.all([
    base
      .selectAll('f')
      .select(
        sql<boolean>`not exists (select 1 from provisioning_fetches p where p.device_id = f.device_id and p.address = f.address and p.id < f.id)`.as(
          'first_from_address',
        ),
      )
      .orderBy('f.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Records a miss and returns how many different targets the address missed within the window. */
export async function recordMiss(
  db: Database,
  miss: { address: string; target: string; accountId: string | null; now: Date; windowSeconds: number },
): Promise<number> {
  const since = new Date(miss.now.getTime() - miss.windowSeconds * 1000);
  await db.deleteFrom('provisioning_misses').where('address', '=', miss.address).where('at', '<=', since).execute();
  await db.insertInto('provisioning_misses').values({ address: miss.address, target: miss.target, account_id: miss.accountId, at: miss.now }).execute();
  const row = await db
    .selectFrom('provisioning_misses')
    .select(sql<number>`count(distinct target)`.as('n'))
    .where('address', '=', miss.address)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertBan(db: Database, ban: { address: string; accountId: string | null; reason: string; until: Date }) {
  await db
    .insertInto('provisioning_bans')
    .values({ address: ban.address, account_id: ban.accountId, reason: ban.reason, banned_until: ban.until })
    .onConflict((oc) => oc.column('address').doUpdateSet({ account_id: ban.accountId, reason: ban.reason, banned_until: ban.until }))
    .execute();
}

/** Active bans; of one account (`accountId`) or all (`undefined`). */
export function activeBans(db: Database, now: Date, accountId?: string) {
  let query = db.selectFrom('provisioning_bans').selectAll().where('banned_until', '>', now);
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  return query.orderBy('created_at', 'desc').execute();
}

/** Lifts a ban (of one account's when `accountId` is given) and forgets the address's misses. */
export async function liftBan(db: Database, address: string, accountId?: string): Promise<boolean> {
  let query = db.deleteFrom('provisioning_bans').where('address', '=', address);
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  const result = await query.executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await db.deleteFrom('provisioning_misses').where('address', '=', address).execute();
  return true;
}

export async function sawUnknownDevice(
  db: Database,
  seen: { accountId: string; mac: string; vendor: string; model: string; userAgent: string; address: string; now: Date },
) {
  await db
    .insertInto('provisioning_discovered')
    .values({ account_id: seen.accountId, mac: seen.mac, vendor: seen.vendor, model: seen.model, user_agent: seen.userAgent, address: seen.address, first_seen: seen.now, last_seen: seen.now })
    .onConflict((oc) =>
      oc.columns(['account_id', 'mac']).doUpdateSet({ vendor: seen.vendor, model: seen.model, user_agent: seen.userAgent, address: seen.address, last_seen: seen.now }),
    )
    .execute();
}

export function discoveredOf(db: Database, accountId: string) {
  return db
    .selectFrom('provisioning_discovered')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('dismissed_at', 'is', null)
    .orderBy('last_seen', 'desc')
    .execute();
}

export function discoveredById(db: Database, accountId: string, id: string) {
  return db.selectFrom('provisioning_discovered').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

export async function dismissDiscovered(db: Database, id: string, now: Date) {
  await db.updateTable('provisioning_discovered').set({ dismissed_at: now }).where('id', '=', id).execute();
}

export async function deleteDiscovered(db: Database, id: string) {
  await db.deleteFrom('provisioning_discovered').where('id', '=', id).execute();
}

export async function insertUpload(db: Database, upload: { deviceId: string; file: string; body: Buffer; address: string }) {
  await db.insertInto('provisioning_uploads').values({ device_id: upload.deviceId, file: upload.file, body: upload.body, address: upload.address }).execute();
}

export function uploadsOf(db: Database, deviceId: string) {
  return db.selectFrom('provisioning_uploads').select(['id', 'file', 'address', 'at', sql<number>`octet_length(body)`.as('size')]).where('device_id', '=', deviceId).orderBy('at', 'desc').limit(100).execute();
}
