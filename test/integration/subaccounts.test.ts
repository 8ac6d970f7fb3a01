// Subaccounts, devices and numbers over real HTTP: allocation, validation,
// conflicts by field, secrets encrypted at rest, and what a `user` may do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let acct: Awaited<ReturnType<typeof customerAccount>>;
beforeAll(async () => {
  plane = await startTestPlane();
  acct = await customerAccount(plane, 'Telephony Co', plane.operator, { country: 'GB', timezone: 'Europe/London' });
});
afterAll(() => plane.stop());

const path = (rest: string) => `/accounts/${acct.id}${rest}`;

describe('subaccounts', () => {
  it('allocates extensions from 101 and system-wide network numbers starting with 10', async () => {
    const a = await acct.owner.post(path('/subaccounts'), { name: 'Alice' });
    const b = await acct.owner.post(path('/subaccounts'), { name: 'Bob' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.extension, b.body.extension]).toEqual(['101', '102']);
    expect(a.body.networkNumber).toMatch(/^10\d{6}$/);
    expect(Number(b.body.networkNumber)).toBe(Number(a.body.networkNumber) + 1);
    expect(a.body.sipUser).toBe(a.body.networkNumber);
    expect(a.body.realm).toBe(acct.realm);
    expect(a.body.credentials.sipPassword).toHaveLength(20);
    const other = await customerAccount(plane, 'Other Co');
    const c = await other.owner.post(`/accounts/${other.id}/subaccounts`, { name: 'Carol' });
    expect(c.body.extension).toBe('101');
    expect(c.body.networkNumber).not.toBe(a.body.networkNumber);
  });

  it('keeps the SIP password encrypted at rest and shows it through the credentials view', async () => {
    const s = await acct.owner.post(path('/subaccounts'), { name: 'Crypto', sipPassword: 'PlainTextPass123' });
    const row = await plane.db.selectFrom('subaccounts').select('sip_password_enc').where('id', '=', s.body.id).executeTakeFirstOrThrow();
    expect(row.sip_password_enc).not.toContain('PlainTextPass123');
    expect(row.sip_password_enc).toMatch(/^v1\./);
    const creds = await acct.owner.get(path(`/subaccounts/${s.body.id}/credentials`));
    expect(creds.body).toEqual({ sipUser: s.body.sipUser, sipPassword: 'PlainTextPass123', realm: acct.realm, conferencePasscode: null });
    expect(JSON.stringify((await acct.owner.get(path(`/subaccounts/${s.body.id}`))).body)).not.toContain('PlainTextPass123');
  });

  it('gives conference subaccounts their own passcode (seed 001) and refuses one on a phone', async () => {
    const conf = await acct.owner.post(path('/subaccounts'), { name: 'Lawsuit 2026', kind: 'conference', costCentre: 'case-7731' });
    expect(conf.status).toBe(201);
    expect(conf.body.credentials.conferencePasscode).toMatch(/^\d{6}$/);
    expect(conf.body.costCentre).toBe('case-7731');
    const phone = await acct.owner.post(path('/subaccounts'), { name: 'X', conferencePasscode: '1234' });
    expect(phone.status).toBe(400);
    expect(phone.body.error.field).toBe('conferencePasscode');
    const filtered = await acct.owner.get(path('/subaccounts?costCentre=case-7731'));
    expect(filtered.body.items.map((s: { id: string }) => s.id)).toEqual([conf.body.id]);
  });

  it.each([
    [{ name: 'X', extension: '1' }, 'extension'],
    [{ name: 'X', extension: '12ab' }, 'extension'],
    [{ name: 'X', sipUser: 'a b' }, 'sipUser'],
    [{ name: 'X', sipPassword: 'short1' }, 'sipPassword'],
    [{ name: 'X', sipPassword: 'onlyletterspassword' }, 'sipPassword'],
    [{ name: 'X', callerIdNumber: '12' }, 'callerIdNumber'],
    [{ name: 'X', kind: 'fax' }, 'kind'],
    [{ name: 'X', conferencePasscode: '12' }, 'conferencePasscode'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const reply = await acct.owner.post(path('/subaccounts'), body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('answers a duplicate extension or SIP user with 409 naming the field', async () => {
    await acct.owner.post(path('/subaccounts'), { name: 'Dup', extension: '555', sipUser: 'dup-user' });
    const ext = await acct.owner.post(path('/subaccounts'), { name: 'Dup2', extension: '555' });
    expect(ext.status).toBe(409);
    expect(ext.body.error.field).toBe('extension');
    const user = await acct.owner.post(path('/subaccounts'), { name: 'Dup3', sipUser: 'dup-user' });
    expect(user.status).toBe(409);
    expect(user.body.error.field).toBe('sipUser');
  });

  it('normalises a national caller id to E.164 in the account country', async () => {
    const s = await acct.owner.post(path('/subaccounts'), { name: 'UK desk', callerIdNumber: '020 7946 0018' });
    expect(s.body.callerIdNumber).toBe('+442079460018');
  });
});

describe('devices', () => {
  it('normalises the MAC, stores lines with ring flags, and finds devices by subaccount', async () => {
    const sub = await acct.owner.post(path('/subaccounts'), { name: 'Shared line' });
    const sub2 = await acct.owner.post(path('/subaccounts'), { name: 'Second line' });
    const dev = await acct.owner.post(path('/devices'), {
      mac: '00:15:65:AA:BB:01',
      vendor: 'yealink',
      model: 'T54W',
      lines: [
        { lineNo: 1, subaccountId: sub.body.id },
        { lineNo: 2, subaccountId: sub2.body.id, ring: false },
      ],
    });
    expect(dev.status).toBe(201);
    expect(dev.body.mac).toBe('001565aabb01');
    expect(dev.body.lines).toEqual([
      { lineNo: 1, subaccountId: sub.body.id, ring: true },
      { lineNo: 2, subaccountId: sub2.body.id, ring: false },
    ]);
    const found = await acct.owner.get(path(`/devices?subaccountId=${sub2.body.id}`));
    expect(found.body.items.map((d: { id: string }) => d.id)).toEqual([dev.body.id]);
    const ring = await acct.owner.patch(path(`/devices/${dev.body.id}/lines/2`), { ring: true });
    expect(ring.body.lines[1].ring).toBe(true);
    const replaced = await acct.owner.put(path(`/devices/${dev.body.id}/lines`), { lines: [{ lineNo: 1, subaccountId: sub2.body.id }] });
    expect(replaced.body.lines).toEqual([{ lineNo: 1, subaccountId: sub2.body.id, ring: true }]);
  });

  it.each([
    ['0015.65aa.bb02', '001565aabb02'],
    ['00-15-65-AA-BB-03', '001565aabb03'],
    ['001565aabb04', '001565aabb04'],
  ])('reads MAC %s as %s', async (input, stored) => {
    const dev = await acct.owner.post(path('/devices'), { mac: input, vendor: 'grandstream', model: 'HT802' });
    expect(dev.body.mac).toBe(stored);
  });

  it.each([
    [{ mac: 'zz:15:65:aa:bb:cc', vendor: 'yealink', model: 'T46U' }, 'mac'],
    [{ mac: '01:00:5e:00:00:01', vendor: 'yealink', model: 'T46U' }, 'mac'],
    [{ mac: '00:00:00:00:00:00', vendor: 'yealink', model: 'T46U' }, 'mac'],
    [{ mac: '001565aabb10', vendor: 'acme', model: 'T46U' }, 'vendor'],
    [{ mac: '001565aabb11', vendor: 'yealink', model: '' }, 'model'],
    [{ mac: '001565aabb12', vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 0, subaccountId: '00000000-0000-4000-8000-000000000000' }] }, 'lines.0.lineNo'],
    [{ mac: '001565aabb13', vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: '00000000-0000-4000-8000-000000000000' }] }, 'lines.0.subaccountId'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const reply = await acct.owner.post(path('/devices'), body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('refuses a MAC already on the system, even in another account, with 409 on mac', async () => {
    await acct.owner.post(path('/devices'), { mac: '00:15:65:00:00:99', vendor: 'yealink', model: 'T46U' });
    const other = await customerAccount(plane, 'Mac Thief');
    const dup = await other.owner.post(`/accounts/${other.id}/devices`, { mac: '001565000099', vendor: 'yealink', model: 'T46U' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('mac');
  });

  it('refuses a line on a subaccount of another account', async () => {
    const other = await customerAccount(plane, 'Foreign Co');
    const foreign = await other.owner.post(`/accounts/${other.id}/subaccounts`, { name: 'Foreign' });
    const reply = await acct.owner.post(path('/devices'), { mac: '001565aabb20', vendor: 'snom', model: 'D785', lines: [{ lineNo: 1, subaccountId: foreign.body.id }] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('lines.0.subaccountId');
  });
});

describe('numbers', () => {
  it('takes national or E.164 input, stores E.164, and routes to a subaccount', async () => {
    const sub = await acct.owner.post(path('/subaccounts'), { name: 'Sales' });
    const national = await plane.operator.post(path('/numbers'), { number: '020 7946 0123', destination: { kind: 'subaccount', id: sub.body.id } });
    expect(national.status).toBe(201);
    expect(national.body).toMatchObject({ e164: '+442079460123', destination: { kind: 'subaccount', id: sub.body.id } });
    const e164 = await plane.operator.post(path('/numbers'), { number: '+1 415 555 2671' });
    expect(e164.body.e164).toBe('+14155552671');
    const dup = await plane.operator.post(path('/numbers'), { number: '+442079460123' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('number');
    const deleteSub = await acct.owner.delete(path(`/subaccounts/${sub.body.id}`));
    expect(deleteSub.status).toBe(409);
    expect(deleteSub.body.error.message).toContain('+442079460123');
  });

  it.each([['12345'], ['+99912345678'], ['not a number']])('refuses %s with 400 on number', async (number) => {
    const reply = await plane.operator.post(path('/numbers'), { number });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('number');
  });

  it('lets the owner route a number but not assign or remove one (seed 002: a service request)', async () => {
    const n = await plane.operator.post(path('/numbers'), { number: '+442079460999' });
    const sub = await acct.owner.post(path('/subaccounts'), { name: 'Support' });
    expect((await acct.owner.patch(path(`/numbers/${n.body.id}`), { destination: { kind: 'subaccount', id: sub.body.id } })).status).toBe(200);
    expect((await acct.owner.post(path('/numbers'), { number: '+442079460998' })).status).toBe(403);
    expect((await acct.owner.delete(path(`/numbers/${n.body.id}`))).status).toBe(403);
    expect((await plane.operator.delete(path(`/numbers/${n.body.id}`))).status).toBe(204);
  });
});

describe('a user bound to a subaccount', () => {
  it('sees and edits only its own subaccount, devices and numbers', async () => {
    const mine = await acct.owner.post(path('/subaccounts'), { name: 'Mine' });
    const theirs = await acct.owner.post(path('/subaccounts'), { name: 'Theirs' });
    await acct.owner.post(path('/users'), { email: 'me@telephony.example', role: 'user', password: 'user-password-1', subaccountId: mine.body.id });
    const dev = await acct.owner.post(path('/devices'), {
      mac: '001565aabb30', vendor: 'yealink', model: 'T46U',
      lines: [{ lineNo: 1, subaccountId: mine.body.id }, { lineNo: 2, subaccountId: theirs.body.id }],
    });
    await acct.owner.post(path('/devices'), { mac: '001565aabb31', vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: theirs.body.id }] });
    const me = await plane.as('me@telephony.example', 'user-password-1');
    const list = await me.get(path('/subaccounts'));
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([mine.body.id]);
    expect((await me.get(path(`/subaccounts/${theirs.body.id}`))).status).toBe(404);
    expect((await me.patch(path(`/subaccounts/${mine.body.id}`), { callerIdName: 'Me Myself' })).body.callerIdName).toBe('Me Myself');
    expect((await me.patch(path(`/subaccounts/${mine.body.id}`), { extension: '999' })).status).toBe(403);
    expect((await me.get(path(`/subaccounts/${mine.body.id}/credentials`))).status).toBe(200);
    expect((await me.get(path('/devices'))).body.items.map((d: { id: string }) => d.id)).toEqual([dev.body.id]);
    expect((await me.patch(path(`/devices/${dev.body.id}/lines/1`), { ring: false })).body.lines[0].ring).toBe(false);
    expect((await me.patch(path(`/devices/${dev.body.id}/lines/2`), { ring: false })).status).toBe(403);
    expect((await me.post(path('/subaccounts'), { name: 'More' })).status).toBe(403);
    expect((await me.get(path('/audit'))).status).toBe(403);
  });
});
