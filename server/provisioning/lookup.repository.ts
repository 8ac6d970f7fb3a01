// What a provisioning request reads, whatever it asks for: the
// account the presented key belongs to, the device the MAC names (in any
// account) with its account's key HMAC, and —
// only when key and device agree — everything needed to render the device's
// files. Failures of every kind read the same way. Requests are answered from a
// snapshot of all of it (loadAll); `lookup` is the one-request form.
// Each subaccount is a correlated primary-key read, not a join: PGlite has no
// autovacuum to keep statistics fresh, and a stale plan scanned every subaccount.
import { sql } from 'kysely';
import type { Database } from '../db/index.js';

export interface RenderRow {
  mac: string;
  vendor: string;
  model: string;
  label: string;
  realm: string;
  timezone: string;
  status: string;
  settings: null | {
    admin_password_enc: string;
    http_user: string | null;
    http_password_enc: string | null;
    language: string;
    codecs: string[];
    function_keys: unknown;
    line_labels: unknown;
  };
  lines: { lineNo: number; sipUser: string; sipPasswordEnc: string; name: string; callerIdName: string | null; extension: string }[];
}

export interface LookupRow {
  key_account_id: string | null;
  key_allow: string[] | null;
  device_id: string | null;
  device_account_id: string | null;
  device_vendor: string | null;
  device_key_hash: string | null;
  device_allow: string[] | null;
  /** present when the key's account owns the device */
  render: RenderRow | null;
  /** present for requests naming no device, with a valid key: the account's realm and timezone */
  key_account: { realm: string; timezone: string; status: string } | null;
}

export interface LookupQuery {
  keyHash: string;
  /** '' when the request names no MAC */
  mac: string;
}

/** Everything a device's files are rendered from, as one JSON value; `d` is the device row. */
const renderJson = sql`(
  select json_build_object(
    'mac', d.mac, 'vendor', d.vendor, 'model', d.model, 'label', d.label,
    'realm', a.realm, 'timezone', a.timezone, 'status', a.status,
    'settings', (select row_to_json(dp) from device_provisioning dp where dp.device_id = d.id),
    'lines', coalesce((
      select json_agg((
        select json_build_object('lineNo', l.line_no, 'sipUser', s.sip_user, 'sipPasswordEnc', s.sip_password_enc,
          'name', s.name, 'callerIdName', s.caller_id_name, 'extension', s.extension)
        from subaccounts s where s.id = l.subaccount_id))
      from device_lines l where l.device_id = d.id), '[]'::json))
  from accounts a where a.id = d.account_id)`;

/** One request's lookup, straight from the database (CALLPLANE_PROVISION_CACHE_TTL=0). */
export async function lookup(db: Database, q: LookupQuery): Promise<LookupRow> {
  const result = await sql<LookupRow>`
    select ka.account_id as key_account_id, ka.allow as key_allow,
      d.id as device_id, d.account_id as device_account_id, d.vendor as device_vendor,
      da.key_hash as device_key_hash, da.allow as device_allow,
      case when d.account_id = ka.account_id then ${renderJson} end as render,
      case when ${q.mac}::text = '' and ka.account_id is not null then (
        select json_build_object('realm', a.realm, 'timezone', a.timezone, 'status', a.status) from accounts a where a.id = ka.account_id)
      end as key_account
    from (select 1) as one
    left join provisioning_accounts ka on ka.key_hash = ${q.keyHash}::text
    left join devices d on d.mac = ${q.mac}::text
    left join provisioning_accounts da on da.account_id = d.account_id
  `.execute(db);
  const row = result.rows[0]!;
  return { ...row, render: parsed(row.render), key_account: parsed(row.key_account) };
}

export interface KeyRow {
  account_id: string;
  key_hash: string;
  allow: string[];
  realm: string;
  timezone: string;
  status: string;
}

export interface DeviceSnapshotRow {
  id: string;
  account_id: string;
  mac: string;
  vendor: string;
  /** null for devices of accounts without a provisioning key: nothing of theirs can be served */
  render: RenderRow | null;
}

/** Every key and every device at once: the per-process snapshot requests are answered from. */
export async function loadAll(db: Database): Promise<{ keys: KeyRow[]; devices: DeviceSnapshotRow[] }> {
  const keys = await sql<KeyRow>`
    select pa.account_id, pa.key_hash, pa.allow, a.realm, a.timezone, a.status
    from provisioning_accounts pa join accounts a on a.id = pa.account_id`.execute(db);
  const devices = await sql<DeviceSnapshotRow>`
    select d.id, d.account_id, d.mac, d.vendor,
      case when exists (select 1 from provisioning_accounts pa where pa.account_id = d.account_id) then ${renderJson} end as render
    from devices d`.execute(db);
  return { keys: keys.rows, devices: devices.rows.map((r) => ({ ...r, render: parsed(r.render) })) };
}

/** PostgreSQL hands json back parsed; keep it working if a driver hands back text. */
function parsed<T>(value: T | string | null): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** Addresses banned now, with until when. */
export async function activeBanTimes(db: Database, now: Date): Promise<Map<string, number>> {
  const rows = await db.selectFrom('provisioning_bans').select(['address', 'banned_until']).where('banned_until', '>', now).execute();
  return new Map(rows.map((r) => [r.address, r.banned_until.getTime()]));
}
