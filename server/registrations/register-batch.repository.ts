// SQL of the registrar's hot path, written once and sent precompiled: the SIP
// identities snapshot, and a batch of one-contact REGISTERs in ONE statement —
// each request's nonce-count is accepted (a replay is refused) and, only then,
// its binding added, refreshed or removed and its live bindings read back.
// One round trip and one commit for every REGISTER that arrived meanwhile.
import { CompiledQuery } from 'kysely';
import type { Database } from '../db/index.js';
import { type Source, nonceSlot } from './registration.repository.js';

/** One REGISTER with one Contact and no +sip.instance, authenticated, waiting for its statement. */
export interface OneContactRegister {
  who: { subaccountId: string; accountId: string };
  uri: string;
  /** 0 removes the binding */
  expiresSeconds: number;
  regId: number | null;
  deviceId: string | null;
  source: Source;
  at: Date;
  /** the digest nonce-count to accept first (qop=auth); absent without qop */
  nonceCount?: { nonce: string; nc: number; expiresAt: Date } | undefined;
}

export interface StoredBinding {
  id: string;
  contact: string;
  expires_at: Date;
}

/** `refused`: the nonce-count was not higher than one seen before (a replay); nothing was written. */
export type RegisterAnswer = { kind: 'refused' } | { kind: 'stored'; bindings: StoredBinding[] };

// The leading comment names the statement: on PostgreSQL it is prepared once per connection (db/connection.ts).
// Requests of one batch never share a subaccount or a nonce (the batcher sees to it), so every
// request's "other bindings" read the table as it was before the statement, as they would alone.
const REGISTER_BATCH = `/*prepare:register_batch*/
with req as (
  select * from unnest($1::text[], $2::bigint[], $3::smallint[], $4::uuid[], $5::uuid[], $6::text[], $7::int[],
                       $8::text[], $9::int[], $10::text[], $11::int[], $12::text[], $13::text[], $14::timestamptz[],
                       $15::uuid[], $16::timestamptz[])
    with ordinality as r(nonce, nc, nonce_slot, subaccount_id, account_id, contact, reg_id, call_id, cseq,
                         source_address, source_port, transport, user_agent, expires_at, device_id, at, i)
), counted as (
  insert into sip_nonce_counts (slot, nonce, nc)
  select nonce_slot, nonce, nc from req where nonce is not null
  on conflict (slot, nonce) do update set nc = excluded.nc where sip_nonce_counts.nc < excluded.nc
  returning nonce
), ok as (
  select * from req where nonce is null or nonce in (select nonce from counted)
), up as (
  insert into registrations (subaccount_id, account_id, contact, instance_id, reg_id, call_id, cseq,
                             source_address, source_port, transport, user_agent, expires_at, device_id, updated_at)
  select subaccount_id, account_id, contact, null, reg_id, call_id, cseq,
         source_address, source_port, transport, user_agent, expires_at, device_id, at
    from ok where expires_at is not null
  on conflict on constraint uq_registrations__contact do update set
    instance_id = null, reg_id = excluded.reg_id, call_id = excluded.call_id, cseq = excluded.cseq,
    source_address = excluded.source_address, source_port = excluded.source_port, transport = excluded.transport,
    user_agent = excluded.user_agent, expires_at = excluded.expires_at, device_id = excluded.device_id,
    updated_at = excluded.updated_at
  returning id, subaccount_id, contact, expires_at, created_at
), gone as (
  delete from registrations g using ok
   where ok.expires_at is null and g.subaccount_id = ok.subaccount_id and g.contact = ok.contact
)
select ok.i::int as i, b.id, b.contact, b.expires_at
  from ok left join lateral (
    select id, contact, expires_at, created_at from up where up.subaccount_id = ok.subaccount_id
    union all
    select id, contact, expires_at, created_at from registrations o
     where o.subaccount_id = ok.subaccount_id and o.expires_at > ok.at and o.contact <> ok.contact
  ) b on true
 order by ok.i, b.created_at`;

type Column = (r: OneContactRegister) => unknown;
const COLUMNS: Column[] = [
  (r) => r.nonceCount?.nonce ?? null,
  (r) => r.nonceCount?.nc ?? null,
  (r) => (r.nonceCount ? nonceSlot(r.nonceCount.expiresAt) : null),
  (r) => r.who.subaccountId,
  (r) => r.who.accountId,
  (r) => r.uri,
  (r) => r.regId,
  (r) => r.source.callId,
  (r) => r.source.cseq,
  (r) => r.source.address,
  (r) => r.source.port,
  (r) => r.source.transport,
  (r) => r.source.userAgent.slice(0, 255),
  (r) => (r.expiresSeconds === 0 ? null : new Date(r.at.getTime() + r.expiresSeconds * 1000).toISOString()),
  (r) => r.deviceId,
  (r) => r.at.toISOString(),
];

/** Runs the batch as one statement; the answers in the order of `requests`. */
export async function registerBatch(db: Database, requests: readonly OneContactRegister[]): Promise<RegisterAnswer[]> {
  const parameters = COLUMNS.map((column) => requests.map(column));
  const { rows } = await db.executeQuery<{ i: number; id: string | null; contact: string | null; expires_at: Date | null }>(
    CompiledQuery.raw(REGISTER_BATCH, parameters),
  );
  const answers: RegisterAnswer[] = requests.map(() => ({ kind: 'refused' }));
  for (const row of rows) {
    let answer = answers[row.i - 1]!;
    if (answer.kind === 'refused') answers[row.i - 1] = answer = { kind: 'stored', bindings: [] };
    if (row.id !== null) answer.bindings.push({ id: row.id, contact: row.contact!, expires_at: new Date(row.expires_at!) });
  }
  return answers;
}

export interface SipIdentityRow {
  realm: string;
  sip_user: string;
  id: string;
  account_id: string;
  sip_password_enc: string;
}

const ALL_IDENTITIES = `/*prepare:sip_identities*/
select a.realm, s.sip_user, s.id, s.account_id, s.sip_password_enc
  from subaccounts s join accounts a on a.id = s.account_id
 where a.status = 'active'`;

/** Every SIP identity of an active account, for the per-process snapshot. */
export async function allSipIdentities(db: Database): Promise<SipIdentityRow[]> {
  return (await db.executeQuery<SipIdentityRow>(CompiledQuery.raw(ALL_IDENTITIES, []))).rows;
}

// Everything the snapshot holds, summed into one number: an unchanged result means
// the snapshot is still exact, and one row travels instead of every identity.
const IDENTITIES_FINGERPRINT = `/*prepare:sip_identities_fingerprint*/
select count(*)::text || ':' || coalesce(sum(hashtextextended(
         a.realm || E'\\n' || s.sip_user || E'\\n' || s.id::text || E'\\n' || s.account_id::text || E'\\n' || s.sip_password_enc, 0)::numeric), 0)::text
         as fingerprint
  from subaccounts s join accounts a on a.id = s.account_id
 where a.status = 'active'`;

/** A fingerprint of every SIP identity allSipIdentities would return: it changes when any of them does. */
export async function sipIdentitiesFingerprint(db: Database): Promise<string> {
  return (await db.executeQuery<{ fingerprint: string }>(CompiledQuery.raw(IDENTITIES_FINGERPRINT, []))).rows[0]!.fingerprint;
}
