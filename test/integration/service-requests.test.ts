// Service requests over HTTP: each kind filed by the account side, worked by
// staff, and its effect on the account when done; who may do what; a failed
// effect leaving everything as it was; the porting PIN never shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDueAccounts, periodEnd } from '../../server/requests/index.js';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let reseller: Http;
let seq = 0;
const pw = 'requests-password-1';
const unique = () => ++seq;
const freshNumber = () => `+1415555${String(2000 + unique())}`;
const freshMac = () => `00156511${String(unique()).padStart(4, '0')}`;

/** An account under the reseller, with an admin, a user on a subaccount, and clients for each. */
async function tenant(name: string) {
  const acct = await customerAccount(plane, name, reseller);
  const path = (p = '') => `/accounts/${acct.id}${p}`;
  const sub = (await acct.owner.post(path('/subaccounts'), { name: 'Desk' })).body.id as string;
  const adminEmail = `admin${unique()}@${name.toLowerCase()}.example`;
  const userEmail = `user${unique()}@${name.toLowerCase()}.example`;
  await acct.owner.post(path('/users'), { email: adminEmail, role: 'admin', password: pw });
  await acct.owner.post(path('/users'), { email: userEmail, role: 'user', password: pw, subaccountId: sub });
  return { ...acct, path, sub, adminEmail, admin: await plane.as(adminEmail, pw), user: await plane.as(userEmail, pw) };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

const PIN = 'Zq7-pin-88';
const portingBody = (numbers: string[], destination: unknown = null) => ({
  kind: 'porting',
  numbers,
  losingCarrier: 'Old Telco',
  carrierAccountNumber: 'ACC-99812',
  carrierPin: PIN,
  accountName: 'Acme Ltd',
  serviceAddress: { street: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
  billingTelephoneNumber: numbers[0],
  requestedDate: '2026-12-15',
  authorizationSigner: { name: 'Ada Owner', title: 'CEO' },
  destination,
});

/** Files `body` as `who`, then has the reseller (staff) take it to in_progress; returns its id. */
async function filedInProgress(t: Tenant, who: Http, body: unknown): Promise<string> {
  const filed = await who.post(t.path('/service-requests'), body);
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const moved = await reseller.post(t.path(`/service-requests/${filed.body.id}/status`), { status: 'in_progress' });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  return filed.body.id as string;
}
const complete = (t: Tenant, id: string, extra: object = {}) => reseller.post(t.path(`/service-requests/${id}/status`), { status: 'done', ...extra });

let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  plane = await startTestPlane();
  const email = 'reseller@requests.example';
  await plane.operator.post('/accounts', { name: 'Resale', kind: 'reseller', owner: { email, password: pw } });
  reseller = await plane.as(email, pw);
  a = await tenant('Alpha');
  b = await tenant('Beta');
});
afterAll(() => plane.stop());

describe('porting', () => {
  it('adds the ported numbers to the account, ringing the requested destination, and never shows the PIN', async () => {
    const numbers = [freshNumber(), freshNumber()];
    const filed = await a.owner.post(a.path('/service-requests'), portingBody(numbers, { kind: 'subaccount', id: a.sub }));
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ kind: 'porting', status: 'open', filedBy: { label: a.ownerEmail } });
    expect(filed.body.details.carrierPinMasked).toBe('****88');
    const id = filed.body.id as string;
    await reseller.post(a.path(`/service-requests/${id}/status`), { status: 'in_progress' });
    const done = await complete(a, id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', handledBy: { label: 'reseller@requests.example' }, outcome: { numbers } });
    const listed = await a.owner.get(a.path(`/numbers?subaccountId=${a.sub}`));
    expect(listed.body.items.map((n: { e164: string }) => n.e164)).toEqual(expect.arrayContaining(numbers));

    const shown = [
      filed.body, done.body,
      (await a.owner.get(a.path(`/service-requests/${id}`))).body,
      (await a.admin.get(a.path('/service-requests'))).body,
      (await reseller.get('/service-requests')).body,
      (await plane.operator.get(a.path('/audit?limit=500'))).body,
    ];
    for (const body of shown) expect(JSON.stringify(body)).not.toContain(PIN);
    const stored = await plane.db.selectFrom('audit_log').select(['before', 'after']).where('account_id', '=', a.id).execute();
    expect(JSON.stringify(stored)).not.toContain(PIN);
    const row = await plane.db.selectFrom('service_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.details)).not.toContain(PIN);
    expect(row.secret_enc).not.toContain(PIN);
    expect(plane.box.open(row.secret_enc!)).toBe(PIN);
  });

  it('writes nothing when one number cannot be added: the request stays in progress, the other number is not added', async () => {
    const [free, taken] = [freshNumber(), freshNumber()];
    const id = await filedInProgress(a, a.owner, portingBody([free, taken]));
    await plane.operator.post(b.path('/numbers'), { number: taken });
    const refused = await complete(a, id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`cannot complete this porting request: ${taken} is already assigned`);
    expect((await a.owner.get(a.path(`/service-requests/${id}`))).body.status).toBe('in_progress');
    expect((await a.owner.get(a.path(`/numbers?q=${free.slice(1)}`))).body.total).toBe(0);
  });
});

describe('number removal', () => {
  it('releases the number from the account when done (filed by an admin)', async () => {
    const e164 = freshNumber();
    await plane.operator.post(a.path('/numbers'), { number: e164 });
    const id = await filedInProgress(a, a.admin, { kind: 'number_removal', number: e164 });
    const done = await complete(a, id);
    expect(done.body).toMatchObject({ status: 'done', outcome: { released: e164 } });
    expect((await a.owner.get(a.path(`/numbers?q=${e164.slice(1)}`))).body.total).toBe(0);
  });

  it('refuses with 409 while the number is still a destination, and keeps it', async () => {
    const [kept, forwarding] = [freshNumber(), freshNumber()];
    await plane.operator.post(a.path('/numbers'), { number: kept });
    await plane.operator.post(a.path('/numbers'), { number: forwarding, destination: { kind: 'number', e164: kept } });
    const id = await filedInProgress(a, a.owner, { kind: 'number_removal', number: kept });
    const refused = await complete(a, id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ field: 'number' });
    expect(refused.body.error.message).toContain(`still a destination of number ${forwarding}`);
    expect((await a.owner.get(a.path(`/numbers?q=${kept.slice(1)}`))).body.total).toBe(1);
    expect((await a.owner.get(a.path(`/service-requests/${id}`))).body.status).toBe('in_progress');
  });
});

describe('the other kinds', () => {
  it('MAC addition creates the device with its lines', async () => {
    const mac = freshMac();
    const id = await filedInProgress(a, a.admin, { kind: 'mac_addition', mac, vendor: 'yealink', model: 'T54W', lines: [{ lineNo: 1, subaccountId: a.sub }] });
    const done = await complete(a, id);
    const device = await a.owner.get(a.path(`/devices/${done.body.outcome.deviceId}`));
    expect(device.body).toMatchObject({ mac, vendor: 'yealink', model: 'T54W', lines: [{ lineNo: 1, subaccountId: a.sub, ring: true }] });
  });

  it('owner change leaves exactly one owner, the new one; the old owner becomes an admin', async () => {
    const t = await tenant('Gamma');
    const id = await filedInProgress(t, t.owner, { kind: 'owner_change', newOwnerEmail: t.adminEmail.toUpperCase() });
    const done = await complete(t, id);
    expect(done.body.outcome).toEqual({ previousOwner: t.ownerEmail, newOwner: t.adminEmail });
    const owners = (await reseller.get(t.path('/users?role=owner'))).body.items;
    expect(owners.map((u: { email: string }) => u.email)).toEqual([t.adminEmail]);
    const old = (await reseller.get(t.path(`/users?q=${t.ownerEmail}`))).body.items[0];
    expect(old.role).toBe('admin');
    // the new owner's powers apply at once: it may now file owner-only requests
    expect((await t.admin.post(t.path('/service-requests'), { kind: 'toll_free' })).status).toBe(201);
  });

  it('toll-free needs the assigned numbers to complete, then adds them', async () => {
    const id = await filedInProgress(a, a.owner, { kind: 'toll_free', count: 1, preferredPrefix: '888', destination: { kind: 'subaccount', id: a.sub } });
    const missing = await complete(a, id);
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('assignedNumbers');
    const tollFree = '+18885550123';
    const done = await complete(a, id, { assignedNumbers: [tollFree] });
    expect(done.body.outcome).toEqual({ numbers: [tollFree] });
    const number = (await a.owner.get(a.path('/numbers?q=18885550123'))).body.items[0];
    expect(number.destination).toEqual({ kind: 'subaccount', id: a.sub });
  });

  it('cancellation closes the account at the end of its period, not before', async () => {
    const t = await tenant('Delta');
    const id = await filedInProgress(t, t.owner, { kind: 'cancellation', reason: 'moving to another provider' });
    const again = await t.owner.post(t.path('/service-requests'), { kind: 'cancellation', reason: 'twice' });
    expect(again.status).toBe(409);
    const done = await complete(t, id);
    const closesAt = new Date(done.body.outcome.closesAt as string);
    expect(closesAt).toEqual(periodEnd(new Date(), 'UTC'));
    expect(await closeDueAccounts(plane.db, new Date(closesAt.getTime() - 1000))).not.toContain(t.id);
    expect((await t.owner.get(t.path())).body).toMatchObject({ status: 'active', closesAt: closesAt.toISOString() });
    expect(await closeDueAccounts(plane.db, closesAt)).toContain(t.id);
    expect((await reseller.get(t.path())).body.status).toBe('closed');
  });

  it('a closed account routes no calls and is charged no more; its owner still logs in to read the account and its ledger', async () => {
    const t = await tenant('Echo');
    await reseller.put(t.path('/price-list'), { currency: 'USD', seatPriceMinor: 1000 });
    await t.owner.put(t.path('/subscription/seats'), { quantity: 2 });
    const back = (await t.owner.post(t.path('/subaccounts'), { name: 'Back', extension: '205' })).body.id as string;
    const call = () => plane.operator.post('/calls/authorize', { subaccountId: t.sub, dialed: '205' });
    expect((await call()).body).toMatchObject({ outcome: 'route' });
    expect(back).toBeTruthy();
    const done = await complete(t, await filedInProgress(t, t.owner, { kind: 'cancellation', reason: 'closing down' }));
    const closesAt = new Date(done.body.outcome.closesAt as string);
    await closeDueAccounts(plane.db, closesAt);
    plane.features.directory.invalidate(); // what the control plane's closing timer does after closing accounts
    const refused = await call();
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ field: 'subaccountId', message: expect.stringContaining('suspended or closed') });
    const entries = async () => (await t.owner.get(t.path('/ledger'))).body.total as number;
    const before = await entries();
    await plane.features.invoices.runBillingCycle(new Date(closesAt.getTime() + 3_600_000));
    expect(await entries()).toBe(before);
    const owner = await plane.as(t.ownerEmail, 'owner-password-1');
    expect((await owner.get(t.path())).body.status).toBe('closed');
  });
});

describe('who may do what', () => {
  const kinds: [string, () => unknown][] = [
    ['porting', () => portingBody([freshNumber()])],
    ['owner_change', () => ({ kind: 'owner_change', newOwnerEmail: a.adminEmail })],
    ['toll_free', () => ({ kind: 'toll_free' })],
    ['cancellation', () => ({ kind: 'cancellation', reason: 'r' })],
  ];
  it.each(kinds)('an admin cannot file %s (403); a user cannot either', async (kind, body) => {
    const byAdmin = await a.admin.post(a.path('/service-requests'), body());
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error.message).toContain('only the owner');
    expect((await a.user.post(a.path('/service-requests'), body())).status).toBe(403);
  });

  it('a user cannot file, list or read requests; another tenant’s owner gets 404', async () => {
    const id = (await a.owner.post(a.path('/service-requests'), { kind: 'toll_free' })).body.id as string;
    expect((await a.user.post(a.path('/service-requests'), { kind: 'mac_addition', mac: freshMac(), vendor: 'snom', model: 'D785' })).status).toBe(403);
    expect((await a.user.get(a.path('/service-requests'))).status).toBe(403);
    expect((await a.user.get(a.path(`/service-requests/${id}`))).status).toBe(403);
    expect((await b.owner.get(a.path(`/service-requests/${id}`))).status).toBe(404);
    expect((await b.owner.get(b.path(`/service-requests/${id}`))).status).toBe(404);
    expect((await b.owner.post(a.path('/service-requests'), { kind: 'toll_free' })).status).toBe(404);
  });

  it('staff move states and assign themselves; the account side cannot', async () => {
    const id = (await a.owner.post(a.path('/service-requests'), { kind: 'toll_free' })).body.id as string;
    for (const who of [a.owner, a.admin, a.user]) {
      expect((await who.post(a.path(`/service-requests/${id}/status`), { status: 'in_progress' })).status).toBe(403);
      expect((await who.post(a.path(`/service-requests/${id}/assignee`), {})).status).toBe(403);
    }
    const assigned = await plane.operator.post(a.path(`/service-requests/${id}/assignee`), {});
    expect(assigned.body.assignee).toEqual({ userId: expect.any(String), label: 'admin@test.example' });
    const rejected = await reseller.post(a.path(`/service-requests/${id}/status`), { status: 'rejected', reason: 'no numbers left in 800' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: 'no numbers left in 800', handledBy: { label: 'reseller@requests.example' } });
    expect(rejected.body.assignee.label).toBe('admin@test.example');
  });

  it('comments come from both sides, with author and time', async () => {
    const id = (await a.admin.post(a.path('/service-requests'), { kind: 'mac_addition', mac: freshMac(), vendor: 'snom', model: 'D785' })).body.id as string;
    await a.admin.post(a.path(`/service-requests/${id}/comments`), { body: 'the phone is on my desk' });
    const both = await reseller.post(a.path(`/service-requests/${id}/comments`), { body: 'thanks, on it' });
    expect(both.status).toBe(201);
    expect(both.body.comments).toEqual([
      { author: a.adminEmail, authorUserId: expect.any(String), side: 'account', body: 'the phone is on my desk', at: expect.any(String) },
      { author: 'reseller@requests.example', authorUserId: expect.any(String), side: 'staff', body: 'thanks, on it', at: expect.any(String) },
    ]);
    expect((await a.user.post(a.path(`/service-requests/${id}/comments`), { body: 'me too' })).status).toBe(403);
  });

  it('the staff queue shows the requests of the accounts beneath the caller only', async () => {
    const other = await plane.operator.post('/accounts', { name: 'Elsewhere' });
    const elsewhere = (await plane.operator.post(`/accounts/${other.body.id}/service-requests`, { kind: 'toll_free' })).body.id as string;
    const mine = (await a.owner.post(a.path('/service-requests'), { kind: 'toll_free' })).body.id as string;
    const ids = (await reseller.get('/service-requests?status=open&limit=500')).body.items.map((r: { id: string }) => r.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(elsewhere);
    expect((await plane.operator.get('/service-requests?limit=500')).body.items.map((r: { id: string }) => r.id)).toContain(elsewhere);
    expect((await a.owner.get('/service-requests')).status).toBe(403);
  });
});

describe('transitions', () => {
  it.each([
    ['open', 'done', 409, 'status'],
    ['done', 'rejected', 409, 'status'],
    ['done', 'in_progress', 409, 'status'],
    ['rejected', 'done', 409, 'status'],
    ['in_progress', 'in_progress', 409, 'status'],
  ])('from %s to %s: %i naming %s', async (from, to, status, field) => {
    const e164 = freshNumber();
    await plane.operator.post(a.path('/numbers'), { number: e164 });
    const id = (await a.owner.post(a.path('/service-requests'), { kind: 'number_removal', number: e164 })).body.id as string;
    const move = (s: string) => reseller.post(a.path(`/service-requests/${id}/status`), { status: s, reason: 'because' });
    if (from !== 'open') await move(from === 'rejected' ? 'rejected' : 'in_progress');
    if (from === 'done') expect((await move('done')).status).toBe(200);
    const reply = await move(to);
    expect(reply.status).toBe(status);
    expect(reply.body.error.field).toBe(field);
    expect((await a.owner.get(a.path(`/service-requests/${id}`))).body.status).toBe(from);
  });

  it('a rejection needs a reason', async () => {
    const id = (await a.owner.post(a.path('/service-requests'), { kind: 'toll_free' })).body.id as string;
    const reply = await reseller.post(a.path(`/service-requests/${id}/status`), { status: 'rejected' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('reason');
  });

  it('every transition is in the audit log', async () => {
    const id = (await a.owner.post(a.path('/service-requests'), { kind: 'toll_free' })).body.id as string;
    await reseller.post(a.path(`/service-requests/${id}/status`), { status: 'in_progress' });
    await reseller.post(a.path(`/service-requests/${id}/status`), { status: 'rejected', reason: 'none free' });
    const audit = (await plane.operator.get(a.path('/audit?entity=service_request&limit=500'))).body.items;
    const actions = audit.filter((e: { entityId: string }) => e.entityId === id).map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`);
    expect(actions).toEqual([
      'reseller@requests.example in_progress → rejected',
      'reseller@requests.example open → in_progress',
      `${a.ownerEmail} file toll_free`,
    ]);
  });
});

describe('bad input', () => {
  it.each([
    ['a malformed E.164 in the port list', 'numbers.1', () => portingBody([freshNumber(), '415-555-0100'])],
    ['an invalid billing number', 'billingTelephoneNumber', () => ({ ...portingBody([freshNumber()]), billingTelephoneNumber: '+1000' })],
    ['a bad requested date', 'requestedDate', () => ({ ...portingBody([freshNumber()]), requestedDate: '15/12/2026' })],
    ['a port without the losing carrier', 'losingCarrier', () => ({ ...portingBody([freshNumber()]), losingCarrier: '' })],
    ['a destination of another account', 'destination.id', () => portingBody([freshNumber()], { kind: 'subaccount', id: b.sub })],
    ['a malformed MAC', 'mac', () => ({ kind: 'mac_addition', mac: '00:15:65:zz:00:01', vendor: 'yealink', model: 'T46U' })],
    ['a line on a subaccount of another account', 'lines.0.subaccountId', () => ({ kind: 'mac_addition', mac: freshMac(), vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: b.sub }] })],
    ['removing a number the account does not have', 'number', () => ({ kind: 'number_removal', number: '+14155559999' })],
    ['a new owner who is not a login of the account', 'newOwnerEmail', () => ({ kind: 'owner_change', newOwnerEmail: b.adminEmail })],
    ['an owner change naming nobody', 'newOwnerEmail', () => ({ kind: 'owner_change' })],
    ['an unknown kind', 'kind', () => ({ kind: 'upgrade' })],
    ['an unknown field', 'body', () => ({ kind: 'toll_free', colour: 'red' })],
  ])('refuses %s with 400 naming %s', async (_what, field, body) => {
    const reply = await a.owner.post(a.path('/service-requests'), body());
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });
});
