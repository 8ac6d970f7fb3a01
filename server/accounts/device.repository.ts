// SQL for devices and their lines.
import type { Insertable, Updateable } from 'kysely';
import type { Database, DeviceLineRow, DeviceRow, DeviceTable } from '../db/index.js';
import type { DeviceFilter, Line } from './device.schemas.js';

export function insertDevice(db: Database, row: Insertable<DeviceTable>): Promise<DeviceRow> {
  return db.insertInto('devices').values(row).returningAll().executeTakeFirstOrThrow();
}

export function deviceById(db: Database, accountId: string, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export function updateDeviceRow(db: Database, id: string, changes: Updateable<DeviceTable>): Promise<DeviceRow> {
  return db
    .updateTable('devices')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDeviceRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('devices').where('id', '=', id).execute();
}

export function linesOf(db: Database, deviceIds: string[]): Promise<DeviceLineRow[]> {
  if (deviceIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('device_lines').selectAll().where('device_id', 'in', deviceIds).execute();
}

export async function replaceDeviceLines(db: Database, deviceId: string, lines: Line[]): Promise<void> {
  await db.deleteFrom('device_lines').where('device_id', '=', deviceId).execute();
  if (lines.length === 0) return;
  await db
    .insertInto('device_lines')
    .values(lines.map((l) => ({ device_id: deviceId, line_no: l.lineNo, subaccount_id: l.subaccountId, ring: l.ring })))
    .execute();
}

export function setLineRing(db: Database, deviceId: string, lineNo: number, ring: boolean) {
  return db
    .updateTable('device_lines')
    .set({ ring })
    .where('device_id', '=', deviceId)
    .where('line_no', '=', lineNo)
    .returningAll()
    .executeTakeFirst();
}

export async function subaccountIdsIn(db: Database, accountId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('subaccounts').select('id').where('account_id', '=', accountId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function listDevices(db: Database, accountId: string, filter: DeviceFilter, onSubaccount?: string | null) {
  let query = db.selectFrom('devices').where('account_id', '=', accountId);
  if (filter.vendor) query = query.where('vendor', '=', filter.vendor);
  if (filter.mac) query = query.where('mac', 'like', `%${filter.mac.toLowerCase().replace(/[^0-9a-f]/g, '')}%`);
  const through = onSubaccount === undefined ? filter.subaccountId : (onSubaccount ?? '00000000-0000-0000-0000-000000000000');
  if (through) {
    query = query.where('id', 'in', db.selectFrom('device_lines').select('device_id').where('subaccount_id', '=', through));
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
