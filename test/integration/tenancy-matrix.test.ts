// The tenancy matrix: every API route × every role × own / other tenant, with
// the status each must get. The route list comes from the server's route table,
// so a route added without a row here fails the first test.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../server/api/index.js';
import { CsvBody, Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

type Role = 'operator' | 'reseller' | 'owner' | 'admin' | 'user';
type Tenant = 'own' | 'other';
const ROLES: Role[] = ['operator', 'reseller', 'owner', 'admin', 'user'];
type Statuses = [operator: number, reseller: number, owner: number, admin: number, user: number];

interface World {
  /** account ids: A under reseller R1 (the callers' own), B under reseller R2 (the other tenant) */
  account: Record<Tenant, string>;
  reseller: Record<Tenant, string>;
  /** a subaccount each role can see in that tenant (the user role's own one in A) */
  sub: Record<Tenant, string>;
  device: Record<Tenant, string>;
  number: Record<Tenant, string>;
  /** call flows: a hunt group, an IVR menu and a schedule in each tenant */
  huntGroup: Record<Tenant, string>;
  ivrMenu: Record<Tenant, string>;
  schedule: Record<Tenant, string>;
  /** a service request and a phone order in each tenant; a phone model of the catalogue */
  request: Record<Tenant, string>;
  order: Record<Tenant, string>;
  phoneModel: string;
  /** a login each role can see (the user role's own in A) */
  login: Record<Tenant, string>;
  clients: Record<Role, Http>;
  /** each tenant's owner login (cards are theirs alone) */
  owners: Record<Tenant, Http>;
  credentials: Record<Role, { email: string; password: string }>;
}

interface Row {
  own: Statuses;
  /** default: the operator as for own, everyone else 404 */
  other?: Statuses;
  request: (w: World, role: Role, t: Tenant) => Promise<{ path: string; body?: unknown }>;
}

let plane: TestPlane;
let w: World;
let seq = 0;
const unique = () => ++seq;

const mac = () => `0015650${String(unique()).padStart(5, '0')}`;
const freshSub = async (t: Tenant) => (await plane.operator.post(`/accounts/${w.account[t]}/subaccounts`, { name: `s${unique()}` })).body.id as string;
const freshDevice = async (t: Tenant) =>
  (await plane.operator.post(`/accounts/${w.account[t]}/devices`, { mac: mac(), vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: w.sub[t] }] })).body.id as string;
const freshNumber = () => `+1415555${String(1000 + unique())}`;
const huntGroupBody = (sub: string) => ({ name: `h${unique()}`, strategy: 'simultaneous', members: [{ kind: 'subaccount', id: sub }] });
const ivrMenuBody = (sub: string) => ({ name: `m${unique()}`, greeting: 'g', invalidPrompt: 'i', timeoutPrompt: 't', options: { '1': { kind: 'subaccount', id: sub } } });
const scheduleBody = (sub: string) => ({
  name: `s${unique()}`,
  weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
  open: { kind: 'subaccount', id: sub },
  closed: { kind: 'number', e164: '+14155550100' },
});
/** A call flow of one kind in the tenant, created by the operator, for rows that delete one. */
const freshCallFlow = async (t: Tenant, collection: 'hunt-groups' | 'ivr-menus' | 'schedules') => {
  const body = { 'hunt-groups': huntGroupBody, 'ivr-menus': ivrMenuBody, schedules: scheduleBody }[collection](w.sub[t]);
  return (await plane.operator.post(`/accounts/${w.account[t]}/${collection}`, body)).body.id as string;
};
const freshEmptyAccount = async (t: Tenant) =>
  (await plane.operator.post('/accounts', { name: `empty${unique()}`, parentId: w.reseller[t] })).body.id as string;
const freshTrunk = async () => (await plane.operator.post('/trunks', { name: `trunk${unique()}` })).body.id as string;
const freshRegistration = async (t: Tenant) => {
  const row = await plane.db
    .insertInto('registrations')
    .values({
      subaccount_id: w.sub[t], account_id: w.account[t], contact: `sip:x${unique()}@192.0.2.1:5060`, instance_id: null, reg_id: null,
      call_id: `c${unique()}`, cseq: 1, source_address: '192.0.2.1', source_port: 5060, transport: 'udp', expires_at: new Date(Date.now() + 3_600_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
};
const a = (w: World, t: Tenant) => `/accounts/${w.account[t]}`;
const FREE = { kind: 'fixed', perMinuteMicros: 0 };
const planBody = () => ({
  name: `p${unique()}`, billing: 'postpaid', currency: 'USD',
  allow: { incoming: true, publicNetwork: false, extensions: true, networkNumbers: true, classes: { local: false, national: false, mobile: false, international: false, toll_free: false, premium: false } },
  segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 },
  prices: { local: FREE, national: FREE, mobile: FREE, international: FREE, toll_free: FREE, premium: FREE },
});
const freshPlan = async (t: Tenant) => (await plane.operator.post(`/accounts/${w.account[t]}/charging-plans`, planBody())).body.id as string;
const networkNumberOf = async (t: Tenant) => (await plane.operator.get(`/accounts/${w.account[t]}/subaccounts/${w.sub[t]}`)).body.networkNumber as string;
const OPERATOR_ONLY: Statuses = [200, 403, 403, 403, 403];
const STAFF_CREATE: Statuses = [201, 201, 403, 403, 403];
/** A non-default card in the tenant, added by its owner (the default one stays put). */
const freshCard = async (t: Tenant) =>
  (await w.owners[t].post(`${a(w, t)}/payment-methods`, { card: { number: '5555555555554444', expMonth: 12, expYear: 2099 } })).body.id as string;
/** An ended month no other row has asked for: invoices are unique per (account, period). */
const freshPeriod = () => {
  const u = unique();
  return `${2000 + (Math.floor(u / 12) % 26)}-${String((u % 12) + 1).padStart(2, '0')}`;
};
const freshInvoice = async (t: Tenant) => (await plane.operator.post(`/accounts/${w.account[t]}/invoices`, { period: freshPeriod() })).body.id as string;
const stockedNumber = async () => {
  const e164 = freshNumber();
  await plane.operator.post('/number-inventory', { numbers: [{ e164, monthlyFeeMinor: 0 }] });
  return e164;
};
const freshRequest = async (t: Tenant) =>
  (await plane.operator.post(`/accounts/${w.account[t]}/service-requests`, { kind: 'toll_free' })).body.id as string;
const freshOrder = async (t: Tenant) =>
  (await plane.operator.post(`/accounts/${w.account[t]}/phone-orders`, { items: [{ modelId: w.phoneModel, quantity: 1 }] })).body.id as string;

const ALL_OK: Statuses = [200, 200, 200, 200, 200];
const MANAGE_OK: Statuses = [200, 200, 200, 200, 403];
const MANAGE_CREATE: Statuses = [201, 201, 201, 201, 403];
const MANAGE_DELETE: Statuses = [204, 204, 204, 204, 403];

const MATRIX: Record<string, Row> = {
  'POST /auth/login': { own: ALL_OK, other: ALL_OK, request: async (w, r) => ({ path: '/auth/login', body: w.credentials[r] }) },
  'POST /auth/refresh': {
    own: ALL_OK,
    other: ALL_OK,
    request: async (w, r) => ({ path: '/auth/refresh', body: { refreshToken: (await plane.http.post('/auth/login', w.credentials[r])).body.refreshToken } }),
  },
  'POST /auth/logout': {
    own: [204, 204, 204, 204, 204],
    other: [204, 204, 204, 204, 204],
    request: async (w, r) => ({ path: '/auth/logout', body: { refreshToken: (await plane.http.post('/auth/login', w.credentials[r])).body.refreshToken } }),
  },
  'GET /me': { own: ALL_OK, other: ALL_OK, request: async () => ({ path: '/me' }) },
  'GET /accounts': { own: ALL_OK, other: ALL_OK, request: async () => ({ path: '/accounts' }) },
  'POST /accounts': {
    own: [201, 201, 403, 403, 403],
    other: [201, 400, 403, 403, 403],
    request: async (w, _r, t) => ({ path: '/accounts', body: { name: `n${unique()}`, parentId: w.reseller[t] } }),
  },
  'GET /accounts/{accountId}': { own: ALL_OK, request: async (w, _r, t) => ({ path: a(w, t) }) },
  'PATCH /accounts/{accountId}': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: a(w, t), body: { name: `renamed${unique()}` } }) },
  'DELETE /accounts/{accountId}': {
    own: [204, 204, 403, 403, 403],
    other: [204, 404, 404, 404, 404],
    // staff delete an empty account in the tenant; account logins try their own account
    request: async (w, r, t) => ({
      path: `/accounts/${r === 'operator' || r === 'reseller' || t === 'other' ? await freshEmptyAccount(t) : w.account.own}`,
    }),
  },
  'GET /accounts/{accountId}/audit': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/audit` }) },
  'GET /accounts/{accountId}/users': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/users` }) },
  'POST /accounts/{accountId}/users': {
    own: MANAGE_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/users`, body: { email: `u${unique()}@matrix.example`, role: 'user' } }),
  },
  'GET /accounts/{accountId}/users/{userId}': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/users/${w.login[t]}` }) },
  'PATCH /accounts/{accountId}/users/{userId}': {
    own: ALL_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/users/${w.login[t]}`, body: { name: `n${unique()}` } }),
  },
  'DELETE /accounts/{accountId}/users/{userId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => {
      const user = await plane.operator.post(`${a(w, t)}/users`, { email: `d${unique()}@matrix.example`, role: 'user' });
      return { path: `${a(w, t)}/users/${user.body.id}` };
    },
  },
  'GET /accounts/{accountId}/subaccounts': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts` }) },
  'POST /accounts/{accountId}/subaccounts': { own: MANAGE_CREATE, request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts`, body: { name: 'new' } }) },
  'GET /accounts/{accountId}/subaccounts/{subaccountId}': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}` }) },
  'PATCH /accounts/{accountId}/subaccounts/{subaccountId}': {
    own: ALL_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}`, body: { callerIdName: `c${unique()}` } }),
  },
  'DELETE /accounts/{accountId}/subaccounts/{subaccountId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${await freshSub(t)}` }),
  },
  'GET /accounts/{accountId}/subaccounts/{subaccountId}/credentials': {
    own: ALL_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}/credentials` }),
  },
  'GET /accounts/{accountId}/subaccounts/{subaccountId}/registrations': {
    own: ALL_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}/registrations` }),
  },
  'DELETE /accounts/{accountId}/subaccounts/{subaccountId}/registrations/{registrationId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}/registrations/${await freshRegistration(t)}` }),
  },
  'GET /sip/bans': { own: [200, 403, 403, 403, 403], other: [200, 403, 403, 403, 403], request: async () => ({ path: '/sip/bans' }) },
  'DELETE /sip/bans/{address}': {
    own: [204, 403, 403, 403, 403],
    other: [204, 403, 403, 403, 403],
    request: async () => {
      const address = `192.0.2.${unique() % 250}`;
      await plane.db.insertInto('sip_bans').values({ address, reason: 'test', banned_until: new Date(Date.now() + 60_000) }).onConflict((oc) => oc.doNothing()).execute();
      return { path: `/sip/bans/${address}` };
    },
  },
  'GET /accounts/{accountId}/cdrs': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/cdrs` }) },
  // Charging plans carry the provider's prices: staff write them, the account's owner and admins read them and choose each subaccount's.
  'GET /accounts/{accountId}/charging-plans': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/charging-plans` }) },
  'POST /accounts/{accountId}/charging-plans': { own: STAFF_CREATE, request: async (w, _r, t) => ({ path: `${a(w, t)}/charging-plans`, body: planBody() }) },
  'GET /accounts/{accountId}/charging-plans/{planId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/charging-plans/${await freshPlan(t)}` }),
  },
  'PUT /accounts/{accountId}/charging-plans/{planId}': {
    own: [200, 200, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/charging-plans/${await freshPlan(t)}`, body: planBody() }),
  },
  'DELETE /accounts/{accountId}/charging-plans/{planId}': {
    own: [204, 204, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/charging-plans/${await freshPlan(t)}` }),
  },
  'PUT /accounts/{accountId}/subaccounts/{subaccountId}/charging-plan': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}/charging-plan`, body: { chargingPlanId: null } }),
  },
  'PUT /accounts/{accountId}/subaccounts/{subaccountId}/credit-limit': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subaccounts/${w.sub[t]}/credit-limit`, body: { limitMinor: 500 } }),
  },
  'GET /accounts/{accountId}/reports/calls': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/reports/calls?month=2026-11` }) },
  'GET /accounts/{accountId}/balance': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/balance` }) },
  'GET /accounts/{accountId}/ledger': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/ledger` }) },
  'POST /accounts/{accountId}/ledger': {
    own: STAFF_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/ledger`, body: { kind: 'topup', amountMinor: 100, currency: 'USD' } }),
  },
  // Rate decks are the operator's carrier costs; the calls API stands in for the switch, which the operator runs.
  'POST /rate-decks': {
    own: [201, 403, 403, 403, 403],
    other: [201, 403, 403, 403, 403],
    request: async () => ({
      path: `/rate-decks?name=matrix${unique()}&currency=EUR`,
      body: new CsvBody('prefix,destination,cost_per_minute,connection_fee,increments,effective_date\n49,Germany,0.01,0,60/60,2026-01-01\n'),
    }),
  },
  'GET /rate-decks': { own: OPERATOR_ONLY, other: OPERATOR_ONLY, request: async () => ({ path: '/rate-decks' }) },
  'GET /rate-decks/{deckId}': {
    own: OPERATOR_ONLY,
    other: OPERATOR_ONLY,
    request: async () => {
      const csv = new CsvBody('prefix,destination,cost_per_minute,connection_fee,increments,effective_date\n33,France,0.01,0,60/60,2026-01-01\n');
      const deck = await plane.operator.request('post', `/rate-decks?name=m${unique()}&currency=EUR`, csv);
      return { path: `/rate-decks/${deck.body.id}` };
    },
  },
  'POST /calls/authorize': {
    own: OPERATOR_ONLY,
    other: OPERATOR_ONLY,
    request: async (w, _r, t) => ({ path: '/calls/authorize', body: { subaccountId: w.sub[t], dialed: await networkNumberOf(t) } }),
  },
  'POST /calls/complete': {
    own: OPERATOR_ONLY,
    other: OPERATOR_ONLY,
    request: async (w, _r, t) => ({
      path: '/calls/complete',
      body: { callUuid: crypto.randomUUID(), subaccountId: w.sub[t], dialed: await networkNumberOf(t), startedAt: new Date().toISOString(), answeredAt: null, billableSeconds: 0 },
    }),
  },
  'GET /trunks': { own: [200, 403, 403, 403, 403], other: [200, 403, 403, 403, 403], request: async () => ({ path: '/trunks' }) },
  'POST /trunks': {
    own: [201, 403, 403, 403, 403],
    other: [201, 403, 403, 403, 403],
    request: async () => ({ path: '/trunks', body: { name: `t${unique()}`, inboundAddresses: ['198.51.100.0/24'] } }),
  },
  'PATCH /trunks/{trunkId}': {
    own: [200, 403, 403, 403, 403],
    other: [200, 403, 403, 403, 403],
    request: async () => ({ path: `/trunks/${await freshTrunk()}`, body: { enabled: false } }),
  },
  'DELETE /trunks/{trunkId}': {
    own: [204, 403, 403, 403, 403],
    other: [204, 403, 403, 403, 403],
    request: async () => ({ path: `/trunks/${await freshTrunk()}` }),
  },
  'GET /accounts/{accountId}/devices': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/devices` }) },
  'POST /accounts/{accountId}/devices': {
    own: MANAGE_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices`, body: { mac: mac(), vendor: 'snom', model: 'D785' } }),
  },
  'GET /accounts/{accountId}/devices/{deviceId}': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}` }) },
  'PATCH /accounts/{accountId}/devices/{deviceId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}`, body: { label: `l${unique()}` } }),
  },
  'DELETE /accounts/{accountId}/devices/{deviceId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${await freshDevice(t)}` }),
  },
  // the test plane runs no SIP edge: resync answers 409 "unavailable" to those allowed to ask
  'POST /accounts/{accountId}/devices/{deviceId}/resync': {
    own: [409, 409, 409, 409, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}/resync` }),
  },
  'PUT /accounts/{accountId}/devices/{deviceId}/lines': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${await freshDevice(t)}/lines`, body: { lines: [{ lineNo: 1, subaccountId: w.sub[t] }] } }),
  },
  'PATCH /accounts/{accountId}/devices/{deviceId}/lines/{lineNo}': {
    own: ALL_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}/lines/1`, body: { ring: true } }),
  },
  'GET /accounts/{accountId}/numbers': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/numbers` }) },
  'POST /accounts/{accountId}/numbers': {
    own: [201, 201, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/numbers`, body: { number: freshNumber() } }),
  },
  'GET /accounts/{accountId}/numbers/{numberId}': { own: ALL_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/numbers/${w.number[t]}` }) },
  'PATCH /accounts/{accountId}/numbers/{numberId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/numbers/${w.number[t]}`, body: { label: `l${unique()}` } }),
  },
  'DELETE /accounts/{accountId}/numbers/{numberId}': {
    own: [204, 204, 403, 403, 403],
    request: async (w, _r, t) => {
      const n = await plane.operator.post(`${a(w, t)}/numbers`, { number: freshNumber() });
      return { path: `${a(w, t)}/numbers/${n.body.id}` };
    },
  },
  'GET /accounts/{accountId}/price-list': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/price-list` }) },
  'PUT /accounts/{accountId}/price-list': {
    own: [200, 200, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/price-list`, body: { currency: 'USD', seatPriceMinor: 0 } }),
  },
  'GET /accounts/{accountId}/subscription': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/subscription` }) },
  // the Owner changes billed users (seed 002); admins may not
  'PUT /accounts/{accountId}/subscription/seats': {
    own: [200, 200, 200, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/subscription/seats`, body: { quantity: 100 + unique() } }),
  },
  'POST /number-inventory': {
    own: [201, 403, 403, 403, 403],
    other: [201, 403, 403, 403, 403],
    request: async () => ({ path: '/number-inventory', body: { numbers: [{ e164: freshNumber(), monthlyFeeMinor: 100 }] } }),
  },
  'GET /accounts/{accountId}/available-numbers': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/available-numbers?areaCode=415` }) },
  'POST /accounts/{accountId}/number-purchases': {
    own: [201, 201, 201, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/number-purchases`, body: { number: await stockedNumber() } }),
  },
  // invoices: owner, admin and staff read them; `user` logins may not
  'GET /accounts/{accountId}/invoices': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/invoices` }) },
  'POST /accounts/{accountId}/invoices': {
    own: [201, 201, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/invoices`, body: { period: freshPeriod() } }),
  },
  'GET /accounts/{accountId}/invoices/{invoiceId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/invoices/${await freshInvoice(t)}` }),
  },
  // Call flows are account configuration: owner and admin manage them; a `user` login gets 403 on every route, reads too.
  'GET /accounts/{accountId}/hunt-groups': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/hunt-groups` }) },
  'POST /accounts/{accountId}/hunt-groups': {
    own: MANAGE_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/hunt-groups`, body: huntGroupBody(w.sub[t]) }),
  },
  'GET /accounts/{accountId}/hunt-groups/{huntGroupId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/hunt-groups/${w.huntGroup[t]}` }),
  },
  'PATCH /accounts/{accountId}/hunt-groups/{huntGroupId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/hunt-groups/${w.huntGroup[t]}`, body: { name: `h${unique()}` } }),
  },
  'DELETE /accounts/{accountId}/hunt-groups/{huntGroupId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/hunt-groups/${await freshCallFlow(t, 'hunt-groups')}` }),
  },
  'GET /accounts/{accountId}/ivr-menus': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/ivr-menus` }) },
  'POST /accounts/{accountId}/ivr-menus': {
    own: MANAGE_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/ivr-menus`, body: ivrMenuBody(w.sub[t]) }),
  },
  'GET /accounts/{accountId}/ivr-menus/{ivrMenuId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/ivr-menus/${w.ivrMenu[t]}` }),
  },
  'PATCH /accounts/{accountId}/ivr-menus/{ivrMenuId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/ivr-menus/${w.ivrMenu[t]}`, body: { name: `m${unique()}` } }),
  },
  'DELETE /accounts/{accountId}/ivr-menus/{ivrMenuId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/ivr-menus/${await freshCallFlow(t, 'ivr-menus')}` }),
  },
  'GET /accounts/{accountId}/schedules': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/schedules` }) },
  'POST /accounts/{accountId}/schedules': {
    own: MANAGE_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/schedules`, body: scheduleBody(w.sub[t]) }),
  },
  'GET /accounts/{accountId}/schedules/{scheduleId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/schedules/${w.schedule[t]}` }),
  },
  'PATCH /accounts/{accountId}/schedules/{scheduleId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/schedules/${w.schedule[t]}`, body: { holidays: ['2026-12-25'] } }),
  },
  'DELETE /accounts/{accountId}/schedules/{scheduleId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/schedules/${await freshCallFlow(t, 'schedules')}` }),
  },
  // Cards (seed 002): only the account's own owner adds, defaults, removes or charges them; staff may list them
  // (brand, last four) to help; admins and users get 403. Usage settings, alerts, charges and the outbox: managers.
  'GET /accounts/{accountId}/payment-methods': { own: [200, 200, 200, 403, 403], request: async (w, _r, t) => ({ path: `${a(w, t)}/payment-methods` }) },
  'POST /accounts/{accountId}/payment-methods': {
    own: [403, 403, 201, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/payment-methods`, body: { card: { number: '4242424242424242', expMonth: 12, expYear: 2099 } } }),
  },
  'POST /accounts/{accountId}/payment-methods/{paymentMethodId}/default': {
    own: [403, 403, 200, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/payment-methods/${await freshCard(t)}/default` }),
  },
  'DELETE /accounts/{accountId}/payment-methods/{paymentMethodId}': {
    own: [403, 403, 204, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/payment-methods/${await freshCard(t)}` }),
  },
  'POST /accounts/{accountId}/topups': {
    own: [403, 403, 201, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/topups`, body: { amountMinor: 100, currency: 'USD' } }),
  },
  'GET /accounts/{accountId}/usage-settings': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/usage-settings` }) },
  'PUT /accounts/{accountId}/usage-settings': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/usage-settings`, body: { alertThresholdMinor: unique() } }),
  },
  'GET /accounts/{accountId}/usage-alerts': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/usage-alerts` }) },
  'GET /accounts/{accountId}/charges': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/charges` }) },
  'GET /accounts/{accountId}/outbox': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/outbox` }) },
  // Service requests: the account side (owner, admins) files and reads; owner-only kinds (toll-free here) 403 for admins; staff move them.
  'GET /service-requests': { own: [200, 200, 403, 403, 403], other: [200, 200, 403, 403, 403], request: async () => ({ path: '/service-requests' }) },
  'GET /accounts/{accountId}/service-requests': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests` }) },
  'POST /accounts/{accountId}/service-requests': {
    own: [201, 201, 201, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests`, body: { kind: 'toll_free' } }),
  },
  'GET /accounts/{accountId}/service-requests/{requestId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests/${w.request[t]}` }),
  },
  'POST /accounts/{accountId}/service-requests/{requestId}/status': {
    own: [200, 200, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests/${await freshRequest(t)}/status`, body: { status: 'in_progress' } }),
  },
  'POST /accounts/{accountId}/service-requests/{requestId}/assignee': {
    own: [200, 200, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests/${w.request[t]}/assignee` }),
  },
  'POST /accounts/{accountId}/service-requests/{requestId}/carrier-pin': {
    own: [200, 200, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests/${w.request[t]}/carrier-pin` }),
  },
  'POST /accounts/{accountId}/service-requests/{requestId}/comments': {
    own: [201, 201, 201, 201, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/service-requests/${w.request[t]}/comments`, body: { body: `c${unique()}` } }),
  },
  // Phones: everyone reads the catalogue, the operator prices it; the owner buys, staff move orders.
  'GET /phone-models': { own: ALL_OK, other: ALL_OK, request: async () => ({ path: '/phone-models' }) },
  'PATCH /phone-models/{modelId}': {
    own: [200, 403, 403, 403, 403],
    other: [200, 403, 403, 403, 403],
    request: async (w) => ({ path: `/phone-models/${w.phoneModel}`, body: { priceMinor: 18900 } }),
  },
  'GET /accounts/{accountId}/phone-orders': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/phone-orders` }) },
  'POST /accounts/{accountId}/phone-orders': {
    own: [201, 201, 201, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/phone-orders`, body: { items: [{ modelId: w.phoneModel, quantity: 1 }] } }),
  },
  'GET /accounts/{accountId}/phone-orders/{orderId}': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/phone-orders/${w.order[t]}` }),
  },
  'POST /accounts/{accountId}/phone-orders/{orderId}/status': {
    own: [200, 200, 403, 403, 403],
    request: async (w, _r, t) => ({ path: `${a(w, t)}/phone-orders/${await freshOrder(t)}/status`, body: { status: 'cancelled' } }),
  },
  'GET /accounts/{accountId}/provisioning': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning` }) },
  'PATCH /accounts/{accountId}/provisioning': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning`, body: { allow: [] } }) },
  'POST /accounts/{accountId}/provisioning/rotate': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning/rotate` }) },
  'GET /accounts/{accountId}/devices/{deviceId}/provisioning': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}/provisioning` }),
  },
  'PATCH /accounts/{accountId}/devices/{deviceId}/provisioning': {
    own: MANAGE_OK,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}/provisioning`, body: { language: 'de' } }),
  },
  'GET /accounts/{accountId}/devices/{deviceId}/fetches': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}/fetches` }) },
  'GET /accounts/{accountId}/devices/{deviceId}/uploads': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/devices/${w.device[t]}/uploads` }) },
  'GET /accounts/{accountId}/provisioning/discovered': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning/discovered` }) },
  'POST /accounts/{accountId}/provisioning/discovered/{discoveredId}/claim': {
    own: MANAGE_CREATE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning/discovered/${await freshDiscovered(t)}/claim`, body: { lines: [] } }),
  },
  'DELETE /accounts/{accountId}/provisioning/discovered/{discoveredId}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning/discovered/${await freshDiscovered(t)}` }),
  },
  'GET /accounts/{accountId}/provisioning/bans': { own: MANAGE_OK, request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning/bans` }) },
  'DELETE /accounts/{accountId}/provisioning/bans/{address}': {
    own: MANAGE_DELETE,
    request: async (w, _r, t) => ({ path: `${a(w, t)}/provisioning/bans/${await freshProvisioningBan(w.account[t])}` }),
  },
  'GET /provisioning/bans': { own: [200, 403, 403, 403, 403], other: [200, 403, 403, 403, 403], request: async () => ({ path: '/provisioning/bans' }) },
  'DELETE /provisioning/bans/{address}': {
    own: [204, 403, 403, 403, 403],
    other: [204, 403, 403, 403, 403],
    request: async () => ({ path: `/provisioning/bans/${await freshProvisioningBan(null)}` }),
  },
};

async function freshDiscovered(t: Tenant): Promise<string> {
  const row = await plane.db
    .insertInto('provisioning_discovered')
    .values({ account_id: w.account[t], mac: mac(), vendor: 'yealink', address: '192.0.2.9', dismissed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function freshProvisioningBan(accountId: string | null): Promise<string> {
  const address = `198.51.100.${unique() % 250}`;
  await plane.db
    .insertInto('provisioning_bans')
    .values({ address, account_id: accountId, reason: 'test', banned_until: new Date(Date.now() + 60_000) })
    .onConflict((oc) => oc.column('address').doUpdateSet({ account_id: accountId }))
    .execute();
  return address;
}

async function buildWorld(): Promise<World> {
  const pw = 'matrix-password-1';
  const reseller = async (name: string) => {
    const email = `${name}@matrix.example`;
    const r = await plane.operator.post('/accounts', { name, kind: 'reseller', owner: { email, password: pw } });
    return { id: r.body.id as string, email, client: await plane.as(email, pw) };
  };
  const r1 = await reseller('r1');
  const r2 = await reseller('r2');
  const tenant = async (name: string, parent: { client: Http }) => {
    const acct = await customerAccount(plane, name, parent.client);
    const sub = (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'mine' })).body.id as string;
    const device = (await acct.owner.post(`/accounts/${acct.id}/devices`, { mac: mac(), vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: sub }] })).body.id as string;
    const number = (await plane.operator.post(`/accounts/${acct.id}/numbers`, { number: freshNumber(), destination: { kind: 'subaccount', id: sub } })).body.id as string;
    const userEmail = `user-${name}@matrix.example`;
    const login = (await acct.owner.post(`/accounts/${acct.id}/users`, { email: userEmail, role: 'user', password: pw, subaccountId: sub })).body.id as string;
    const huntGroup = (await acct.owner.post(`/accounts/${acct.id}/hunt-groups`, huntGroupBody(sub))).body.id as string;
    const ivrMenu = (await acct.owner.post(`/accounts/${acct.id}/ivr-menus`, ivrMenuBody(sub))).body.id as string;
    const schedule = (await acct.owner.post(`/accounts/${acct.id}/schedules`, scheduleBody(sub))).body.id as string;
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: { number: '4242424242424242', expMonth: 12, expYear: 2099 } });
    const request = (await acct.owner.post(`/accounts/${acct.id}/service-requests`, { kind: 'toll_free' })).body.id as string;
    const order = (await acct.owner.post(`/accounts/${acct.id}/phone-orders`, { items: [{ modelId: phoneModel, quantity: 1 }] })).body.id as string;
    return { acct, sub, device, number, login, userEmail, huntGroup, ivrMenu, schedule, request, order };
  };
  const phoneModel = (await plane.operator.get('/phone-models')).body.items[0].id as string;
  const own = await tenant('A', r1);
  const other = await tenant('B', r2);
  const adminEmail = 'admin-A@matrix.example';
  await own.acct.owner.post(`/accounts/${own.acct.id}/users`, { email: adminEmail, role: 'admin', password: pw });
  const credentials: World['credentials'] = {
    operator: { email: 'admin@test.example', password: 'operator-password-1' },
    reseller: { email: r1.email, password: pw },
    owner: { email: own.acct.ownerEmail, password: 'owner-password-1' },
    admin: { email: adminEmail, password: pw },
    user: { email: own.userEmail, password: pw },
  };
  return {
    account: { own: own.acct.id, other: other.acct.id },
    reseller: { own: r1.id, other: r2.id },
    sub: { own: own.sub, other: other.sub },
    device: { own: own.device, other: other.device },
    number: { own: own.number, other: other.number },
    huntGroup: { own: own.huntGroup, other: other.huntGroup },
    ivrMenu: { own: own.ivrMenu, other: other.ivrMenu },
    schedule: { own: own.schedule, other: other.schedule },
    request: { own: own.request, other: other.request },
    order: { own: own.order, other: other.order },
    phoneModel,
    login: { own: own.login, other: other.login },
    credentials,
    owners: { own: own.acct.owner, other: other.acct.owner },
    clients: {
      operator: plane.operator,
      reseller: r1.client,
      owner: own.acct.owner,
      admin: await plane.as(adminEmail, pw),
      user: await plane.as(own.userEmail, pw),
    },
  };
}

beforeAll(async () => {
  plane = await startTestPlane();
  w = await buildWorld();
});
afterAll(() => plane.stop());

const routeKeys = () => apiRoutes({ db: plane.db, ...plane.features }).map((r) => `${r.method.toUpperCase()} ${r.path}`);

describe('tenancy matrix', () => {
  it('has a row for every route of the API, and no row for a route that does not exist', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(routeKeys().sort());
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    const method = key.split(' ')[0]!.toLowerCase();
    it(`${key}`, async () => {
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const tenant of ['own', 'other'] as const) {
        const expected = tenant === 'own' ? row.own : (row.other ?? [row.own[0], 404, 404, 404, 404]);
        for (const [i, role] of ROLES.entries()) {
          const { path, body } = await row.request(w, role, tenant);
          const reply = await w.clients[role].request(method, path, body ?? (method === 'get' || method === 'delete' ? undefined : {}));
          seen.push(`${tenant} ${role} ${reply.status}`);
          wanted.push(`${tenant} ${role} ${expected[i]}`);
        }
      }
      expect(seen).toEqual(wanted);
    });
  }

  it('answers another tenant’s resource exactly as one that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const owner = w.clients.owner;
    const pairs = [
      [`/accounts/${w.account.other}`, `/accounts/${missing}`],
      [`/accounts/${w.account.other}/subaccounts/${w.sub.other}`, `/accounts/${missing}/subaccounts/${w.sub.other}`],
      [`/accounts/${w.account.own}/subaccounts/${w.sub.other}`, `/accounts/${w.account.own}/subaccounts/${missing}`],
      [`/accounts/${w.account.own}/devices/${w.device.other}`, `/accounts/${w.account.own}/devices/${missing}`],
      [`/accounts/${w.account.own}/numbers/${w.number.other}`, `/accounts/${w.account.own}/numbers/${missing}`],
      [`/accounts/${w.account.own}/hunt-groups/${w.huntGroup.other}`, `/accounts/${w.account.own}/hunt-groups/${missing}`],
      [`/accounts/${w.account.own}/ivr-menus/${w.ivrMenu.other}`, `/accounts/${w.account.own}/ivr-menus/${missing}`],
      [`/accounts/${w.account.own}/schedules/${w.schedule.other}`, `/accounts/${w.account.own}/schedules/${missing}`],
      [`/accounts/${w.account.own}/users/${w.login.other}`, `/accounts/${w.account.own}/users/${missing}`],
      [`/accounts/${w.account.own}/service-requests/${w.request.other}`, `/accounts/${w.account.own}/service-requests/${missing}`],
      [`/accounts/${w.account.own}/phone-orders/${w.order.other}`, `/accounts/${w.account.own}/phone-orders/${missing}`],
    ];
    for (const [foreign, absent] of pairs) {
      const [x, y] = [await owner.get(foreign!), await owner.get(absent!)];
      expect(x.status).toBe(404);
      expect(x).toEqual(y);
    }
  });
});
