// Accounts, users and the audit log over real HTTP: what an operator, a
// reseller and an owner see and may do, validation and conflicts by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(() => plane.stop());

describe('accounts', () => {
  it('creates an account with a generated DNS-safe realm, defaults, and an owner whose password is shown once', async () => {
    const reply = await plane.operator.post('/accounts', { name: 'Acme Dental', owner: { email: 'Boss@Acme.example' } });
    expect(reply.status).toBe(201);
    expect(reply.body.realm).toMatch(/^[a-z0-9]{8}\.sip\.test\.example$/);
    expect(reply.body).toMatchObject({ kind: 'account', timezone: 'UTC', country: 'US', status: 'active' });
    expect(reply.body.owner.email).toBe('boss@acme.example');
    expect(reply.body.owner.password).toHaveLength(16);
    const owner = await plane.as('boss@acme.example', reply.body.owner.password);
    const again = await owner.get(`/accounts/${reply.body.id}`);
    expect(again.body.owner).toBeUndefined();
    expect(again.body.id).toBe(reply.body.id);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: 'X', country: 'USA' }, 'country'],
    [{ name: 'X', realm: 'not a realm' }, 'realm'],
    [{ name: 'X', kind: 'operator' }, 'kind'],
    [{ name: 'X', owner: { email: 'not-an-email' } }, 'owner.email'],
    [{ name: 'X', owner: { email: 'a@b.example', password: 'short' } }, 'owner.password'],
    [{ name: 'X', colour: 'blue' }, 'body'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const reply = await plane.operator.post('/accounts', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('invalid');
    expect(reply.body.error.field).toBe(field);
  });

  it('answers a duplicate realm or owner email with 409 naming the field, and writes nothing', async () => {
    const first = await customerAccount(plane, 'First');
    const dupRealm = await plane.operator.post('/accounts', { name: 'Second', realm: first.realm });
    expect(dupRealm.status).toBe(409);
    expect(dupRealm.body.error.field).toBe('realm');
    const before = (await plane.operator.get('/accounts?q=Third')).body.total;
    const dupOwner = await plane.operator.post('/accounts', { name: 'Third', owner: { email: first.ownerEmail } });
    expect(dupOwner.status).toBe(409);
    expect(dupOwner.body.error.field).toBe('owner.email');
    expect((await plane.operator.get('/accounts?q=Third')).body.total).toBe(before);
  });

  it('lets a reseller create and see accounts beneath it, and nothing else', async () => {
    const reseller = await plane.operator.post('/accounts', { name: 'Resell Co', kind: 'reseller', owner: { email: 'staff@resell.example', password: 'reseller-pass-1' } });
    expect(reseller.status).toBe(201);
    const staff = await plane.as('staff@resell.example', 'reseller-pass-1');
    const child = await staff.post('/accounts', { name: 'Reseller Customer' });
    expect(child.status).toBe(201);
    expect(child.body.parentId).toBe(reseller.body.id);
    const outsider = await customerAccount(plane, 'Outsider');
    const seen = (await staff.get('/accounts?limit=500')).body.items.map((a: { id: string }) => a.id);
    expect(seen).toContain(child.body.id);
    expect(seen).not.toContain(outsider.id);
    expect((await staff.get(`/accounts/${outsider.id}`)).status).toBe(404);
    const under = await staff.post('/accounts', { name: 'Sneaky', parentId: outsider.id });
    expect(under.status).toBe(400);
    expect(under.body.error.field).toBe('parentId');
  });

  it('pages and filters the account list', async () => {
    for (const n of ['Page A', 'Page B', 'Page C']) await customerAccount(plane, n);
    const page = await plane.operator.get('/accounts?q=Page&limit=2&offset=1');
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((a: { name: string }) => a.name)).toEqual(['Page B', 'Page C']);
    expect((await plane.operator.get('/accounts?limit=0')).body.error.field).toBe('limit');
  });

  it('renames the realm only with confirmation, and warns what depends on it', async () => {
    const acct = await customerAccount(plane, 'Realm Co');
    const blind = await acct.owner.patch(`/accounts/${acct.id}`, { realm: 'realmco.sip.test.example' });
    expect(blind.status).toBe(400);
    expect(blind.body.error.field).toBe('confirmRealmChange');
    await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Desk' });
    const ok = await acct.owner.patch(`/accounts/${acct.id}`, { realm: 'realmco.sip.test.example', confirmRealmChange: true });
    expect(ok.status).toBe(200);
    expect(ok.body.realm).toBe('realmco.sip.test.example');
    expect(ok.body.warnings[0]).toContain('1 subaccount(s)');
  });

  it('lets only staff suspend an account, and deletes only empty accounts', async () => {
    const acct = await customerAccount(plane, 'Status Co');
    expect((await acct.owner.patch(`/accounts/${acct.id}`, { status: 'suspended' })).status).toBe(403);
    expect((await plane.operator.patch(`/accounts/${acct.id}`, { status: 'suspended' })).body.status).toBe('suspended');
    await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Desk' });
    const refused = await plane.operator.delete(`/accounts/${acct.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.field).toBe('subaccounts');
    const empty = await customerAccount(plane, 'Empty Co');
    expect((await plane.operator.delete(`/accounts/${empty.id}`)).status).toBe(204);
    expect((await plane.operator.get(`/accounts/${empty.id}`)).status).toBe(404);
  });
});

describe('users', () => {
  it('keeps one owner per account; admins cannot touch the owner login', async () => {
    const acct = await customerAccount(plane, 'Users Co');
    const admin = await acct.owner.post(`/accounts/${acct.id}/users`, { email: 'admin@users.example', role: 'admin', password: 'admin-password-1' });
    expect(admin.status).toBe(201);
    expect(admin.body.password).toBeUndefined();
    const secondOwner = await acct.owner.post(`/accounts/${acct.id}/users`, { email: 'o2@users.example', role: 'owner' });
    expect(secondOwner.status).toBe(409);
    expect(secondOwner.body.error.field).toBe('role');
    const asAdmin = await plane.as('admin@users.example', 'admin-password-1');
    const ownerId = (await acct.owner.get('/me')).body.user.id;
    expect((await asAdmin.patch(`/accounts/${acct.id}/users/${ownerId}`, { password: 'hijacked-pass-1' })).status).toBe(403);
    expect((await asAdmin.post(`/accounts/${acct.id}/users`, { email: 'x@users.example', role: 'owner' })).status).toBe(403);
    expect((await asAdmin.delete(`/accounts/${acct.id}/users/${ownerId}`)).status).toBe(403);
    const wrongKind = await asAdmin.post(`/accounts/${acct.id}/users`, { email: 'y@users.example', role: 'operator' });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.field).toBe('role');
  });

  it.each([
    [{ email: 'not-an-email', role: 'user' }, 'email'],
    [{ email: 'v@users.example', role: 'boss' }, 'role'],
    [{ email: 'v@users.example', role: 'user', password: 'short' }, 'password'],
    [{ email: 'v@users.example', role: 'user', timezone: 'Nowhere/City' }, 'timezone'],
    [{ email: 'v@users.example', role: 'user', subaccountId: '00000000-0000-4000-8000-000000000000' }, 'subaccountId'],
  ])('refuses the login %j with 400 naming %s', async (body, field) => {
    const acct = await customerAccount(plane, 'Login Checks');
    const reply = await acct.owner.post(`/accounts/${acct.id}/users`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('answers an email already used by any login, in any account, with 409 on email', async () => {
    const one = await customerAccount(plane, 'Email One');
    const two = await customerAccount(plane, 'Email Two');
    expect((await one.owner.post(`/accounts/${one.id}/users`, { email: 'taken@users.example', role: 'user' })).status).toBe(201);
    const dup = await two.owner.post(`/accounts/${two.id}/users`, { email: 'Taken@Users.example', role: 'user' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('email');
  });

  it('changes your own password only with the current one, and revokes old refresh tokens', async () => {
    const acct = await customerAccount(plane, 'Pw Co');
    const me = (await acct.owner.get('/me')).body.user;
    const login = await plane.http.post('/auth/login', { email: acct.ownerEmail, password: 'owner-password-1' });
    const noCurrent = await acct.owner.patch(`/accounts/${acct.id}/users/${me.id}`, { password: 'new-password-12' });
    expect(noCurrent.body.error.field).toBe('currentPassword');
    const ok = await acct.owner.patch(`/accounts/${acct.id}/users/${me.id}`, { password: 'new-password-12', currentPassword: 'owner-password-1' });
    expect(ok.status).toBe(200);
    expect((await plane.http.post('/auth/refresh', { refreshToken: login.body.refreshToken })).status).toBe(401);
    expect((await plane.http.post('/auth/login', { email: acct.ownerEmail, password: 'new-password-12' })).status).toBe(200);
  });

  it('stops a disabled login at once, even with a valid access token', async () => {
    const acct = await customerAccount(plane, 'Disable Co');
    const user = await acct.owner.post(`/accounts/${acct.id}/users`, { email: 'u@disable.example', role: 'user', password: 'user-password-1' });
    const asUser = await plane.as('u@disable.example', 'user-password-1');
    expect((await asUser.get('/me')).status).toBe(200);
    await acct.owner.patch(`/accounts/${acct.id}/users/${user.body.id}`, { disabled: true });
    expect((await asUser.get('/me')).status).toBe(401);
  });
});

describe('audit log', () => {
  it('records who changed what with before and after, and never a secret', async () => {
    const acct = await customerAccount(plane, 'Audit Co');
    const sub = await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Reception', sipPassword: 'SecretSip12345' });
    await acct.owner.patch(`/accounts/${acct.id}/subaccounts/${sub.body.id}`, { sipPassword: 'OtherSecret9876', name: 'Front desk' });
    const audit = await acct.owner.get(`/accounts/${acct.id}/audit`);
    expect(audit.status).toBe(200);
    const [update, create] = audit.body.items;
    expect(update).toMatchObject({ entity: 'subaccount', action: 'update (SIP password changed)', actor: acct.ownerEmail });
    expect(update.before.name).toBe('Reception');
    expect(update.after.name).toBe('Front desk');
    expect(create.action).toBe('create');
    const text = JSON.stringify(audit.body);
    for (const secret of ['SecretSip12345', 'OtherSecret9876', 'owner-password-1', sub.body.credentials.sipPassword]) {
      expect(text).not.toContain(secret);
    }
  });
});
