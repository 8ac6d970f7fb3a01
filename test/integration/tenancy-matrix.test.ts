// The tenancy matrix: every API route × every role × own / other tenant, with
// the status each must get. The route list comes from the server's route table,
// so a route added without a row here fails the first test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../server/api/index.js';
import { Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

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
  /** a login each role can see (the user role's own in A) */
  login: Record<Tenant, string>;
  clients: Record<Role, Http>;
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
    return { acct, sub, device, number, login, userEmail, huntGroup, ivrMenu, schedule };
  };
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
    login: { own: own.login, other: other.login },
    credentials,
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
    ];
    for (const [foreign, absent] of pairs) {
      const [x, y] = [await owner.get(foreign!), await owner.get(absent!)];
      expect(x.status).toBe(404);
      expect(x).toEqual(y);
    }
  });
});
