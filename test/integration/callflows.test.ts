// Call flows over real HTTP: hunt groups, IVR menus and schedules — CRUD,
// validation naming fields, destinations of other accounts refused, IVR loops
// refused, extensions shared with subaccounts — numbers ringing every kind of
// destination, and the routing directory loaded from the database routing
// real calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDirectory } from '../../server/callflows/index.js';
import { type RouteRequest, routeCall } from '../../server/routing/index.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let acct: Awaited<ReturnType<typeof customerAccount>>;
let other: Awaited<ReturnType<typeof customerAccount>>;
/** Phone subaccounts of `acct` (extensions 101, 102), a conference subaccount, and one of the other account. */
const s = { alice: '', bob: '', board: '', foreign: '' };
let foreignHunt = '';

const path = (rest: string) => `/accounts/${acct.id}${rest}`;
let seq = 0;
const did = () => `+44207946${String(1000 + ++seq)}`;

const hunt = (extra: Record<string, unknown> = {}) => ({
  name: `Sales ${++seq}`,
  strategy: 'simultaneous',
  members: [{ kind: 'subaccount', id: s.alice }, { kind: 'subaccount', id: s.bob }],
  ...extra,
});
const menu = (extra: Record<string, unknown> = {}) => ({
  name: `Menu ${++seq}`,
  greeting: 'ivr-greeting',
  invalidPrompt: 'ivr-invalid',
  timeoutPrompt: 'ivr-timeout',
  options: { '1': { kind: 'subaccount', id: s.alice } },
  ...extra,
});
const office = (extra: Record<string, unknown> = {}) => ({
  name: `Office ${++seq}`,
  weekly: [{ days: [5, 1, 2, 3, 4], from: '09:00', to: '17:30' }],
  holidays: ['2026-12-26', '2026-12-25', '2026-12-25'],
  open: { kind: 'subaccount', id: s.alice },
  closed: { kind: 'number', e164: '+447400123456' },
  ...extra,
});

beforeAll(async () => {
  plane = await startTestPlane();
  acct = await customerAccount(plane, 'Flows Co', plane.operator, { country: 'GB', timezone: 'Europe/London' });
  other = await customerAccount(plane, 'Elsewhere Co', plane.operator, { country: 'GB', timezone: 'Europe/London' });
  s.alice = (await acct.owner.post(path('/subaccounts'), { name: 'Alice' })).body.id;
  s.bob = (await acct.owner.post(path('/subaccounts'), { name: 'Bob' })).body.id;
  s.board = (await acct.owner.post(path('/subaccounts'), { name: 'Board', kind: 'conference' })).body.id;
  s.foreign = (await other.owner.post(`/accounts/${other.id}/subaccounts`, { name: 'Foreign' })).body.id;
  foreignHunt = (await other.owner.post(`/accounts/${other.id}/hunt-groups`, { ...hunt(), members: [{ kind: 'subaccount', id: s.foreign }] })).body.id;
});
afterAll(() => plane.stop());

describe('hunt groups', () => {
  it('are created with routing’s defaults, read, listed, changed field by field and removed', async () => {
    const created = await acct.owner.post(path('/hunt-groups'), hunt({ name: 'Ring all', extension: '600' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      accountId: acct.id,
      name: 'Ring all',
      extension: '600',
      strategy: 'simultaneous',
      members: [{ kind: 'subaccount', id: s.alice }, { kind: 'subaccount', id: s.bob }],
      memberTimeoutSeconds: 20,
      totalTimeoutSeconds: 60,
      skipBusy: true,
      fallback: null,
    });
    const id = created.body.id as string;
    expect((await acct.owner.get(path(`/hunt-groups/${id}`))).body).toEqual(created.body);
    expect((await acct.owner.get(path('/hunt-groups?q=ring'))).body.items.map((g: { id: string }) => g.id)).toEqual([id]);

    const changed = await acct.owner.patch(path(`/hunt-groups/${id}`), { strategy: 'sequential', memberTimeoutSeconds: 15 });
    expect(changed.body).toMatchObject({ strategy: 'sequential', memberTimeoutSeconds: 15, totalTimeoutSeconds: 60, extension: '600' });
    const renamed = await acct.owner.patch(path(`/hunt-groups/${id}`), { name: 'Renamed', extension: null, fallback: { kind: 'number', e164: '+447400123456' } });
    expect(renamed.body).toMatchObject({ name: 'Renamed', strategy: 'sequential', memberTimeoutSeconds: 15, extension: null });
    expect(renamed.body.fallback).toEqual({ kind: 'number', e164: '+447400123456' });

    expect((await acct.owner.delete(path(`/hunt-groups/${id}`))).status).toBe(204);
    expect((await acct.owner.get(path(`/hunt-groups/${id}`))).status).toBe(404);
    const audit = await acct.owner.get(path('/audit?entity=hunt_group'));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'update', 'create']);
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['no members', 'members', () => hunt({ members: [] })],
    ['a strategy nobody knows', 'strategy', () => hunt({ strategy: 'loudest' })],
    ['a member of another account', 'members.0.id', () => hunt({ members: [{ kind: 'subaccount', id: s.foreign }] })],
    ['a conference subaccount as member', 'members.0.id', () => hunt({ members: [{ kind: 'subaccount', id: s.board }] })],
    ['a member listed twice', 'members.1.id', () => hunt({ members: [{ kind: 'subaccount', id: s.bob }, { kind: 'subaccount', id: s.bob }] })],
    ['an external member that is no phone number', 'members.0.e164', () => hunt({ members: [{ kind: 'external', e164: '+99912345678' }] })],
    ['an external member not in E.164', 'members.0.e164', () => hunt({ members: [{ kind: 'external', e164: '07400 123456' }] })],
    ['a fallback to a hunt group of another account', 'fallback.id', () => hunt({ fallback: { kind: 'hunt_group', id: foreignHunt } })],
    ['an extension that is an emergency number', 'extension', () => hunt({ extension: '999' })],
    ['an extension of one digit', 'extension', () => hunt({ extension: '7' })],
    ['a timeout under five seconds', 'memberTimeoutSeconds', () => hunt({ memberTimeoutSeconds: 2 })],
    ['a field that does not exist', 'body', () => hunt({ colour: 'red' })],
  ])('refuses %s with 400 naming %s', async (_name, field, body) => {
    const reply = await acct.owner.post(path('/hunt-groups'), body());
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('shares extensions with subaccounts: a taken one is a 409 on extension, either way round', async () => {
    const onSub = await acct.owner.post(path('/hunt-groups'), hunt({ extension: '101' }));
    expect(onSub.status).toBe(409);
    expect(onSub.body.error).toMatchObject({ field: 'extension', message: expect.stringContaining('subaccount Alice') });
    const group = await acct.owner.post(path('/hunt-groups'), hunt({ extension: '650' }));
    expect(group.status).toBe(201);
    const twice = await acct.owner.post(path('/hunt-groups'), hunt({ extension: '650' }));
    expect([twice.status, twice.body.error.field]).toEqual([409, 'extension']);
    const sub = await acct.owner.post(path('/subaccounts'), { name: 'Late', extension: '650' });
    expect([sub.status, sub.body.error.field]).toEqual([409, 'extension']);
    expect(sub.body.error.message).toContain(`hunt group ${group.body.name}`);
    const moved = await acct.owner.patch(path(`/subaccounts/${s.bob}`), { extension: '650' });
    expect([moved.status, moved.body.error.field]).toEqual([409, 'extension']);
  });

  it('leaves hunt-group extensions out when it picks a subaccount’s extension', async () => {
    const fresh = await customerAccount(plane, 'Fresh Co', plane.operator, { country: 'GB' });
    const groupOnly = await fresh.owner.post(`/accounts/${fresh.id}/hunt-groups`, {
      name: 'Out of hours', strategy: 'sequential', extension: '101', members: [{ kind: 'external', e164: '+447400123456' }],
    });
    expect(groupOnly.status).toBe(201);
    const first = await fresh.owner.post(`/accounts/${fresh.id}/subaccounts`, { name: 'First' });
    expect(first.body.extension).toBe('102');
  });

  it('refuses a fallback that comes back round to the group', async () => {
    const a = (await acct.owner.post(path('/hunt-groups'), hunt())).body.id as string;
    const b = (await acct.owner.post(path('/hunt-groups'), hunt({ fallback: { kind: 'hunt_group', id: a } }))).body.id as string;
    const circle = await acct.owner.patch(path(`/hunt-groups/${a}`), { fallback: { kind: 'hunt_group', id: b } });
    expect(circle.status).toBe(400);
    expect(circle.body.error.field).toBe('fallback.id');
    expect(circle.body.error.message).toContain('circle');
  });

  it('is not removed while a number routes to it, nor is a subaccount that is a member', async () => {
    const group = (await acct.owner.post(path('/hunt-groups'), hunt({ members: [{ kind: 'subaccount', id: s.bob }] }))).body;
    const e164 = did();
    await plane.operator.post(path('/numbers'), { number: e164, destination: { kind: 'hunt_group', id: group.id } });
    const removal = await acct.owner.delete(path(`/hunt-groups/${group.id}`));
    expect(removal.status).toBe(409);
    expect(removal.body.error.message).toContain(`number ${e164}`);
    const member = await acct.owner.delete(path(`/subaccounts/${s.bob}`));
    expect(member.status).toBe(409);
    expect(member.body.error.message).toContain(`hunt group ${group.name} (member)`);
  });
});

describe('IVR menus', () => {
  it('are created, changed (options replace all keys) and removed', async () => {
    const created = await acct.owner.post(path('/ivr-menus'), menu({ name: 'Reception', options: { '1': { kind: 'subaccount', id: s.alice }, '#': { kind: 'conference', id: s.board } } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Reception', timeoutSeconds: 5, maxRetries: 3, allowExtensionDialing: false, fallback: null });
    expect(created.body.options).toEqual({ '1': { kind: 'subaccount', id: s.alice }, '#': { kind: 'conference', id: s.board } });
    const changed = await acct.owner.patch(path(`/ivr-menus/${created.body.id}`), { options: { '2': { kind: 'subaccount', id: s.bob } }, maxRetries: 1 });
    expect(changed.body).toMatchObject({ name: 'Reception', maxRetries: 1, options: { '2': { kind: 'subaccount', id: s.bob } } });
    expect((await acct.owner.delete(path(`/ivr-menus/${created.body.id}`))).status).toBe(204);
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['a key a phone does not have', 'options', () => menu({ options: { A: { kind: 'subaccount', id: s.alice } } })],
    ['a key leading to a subaccount of another account', 'options.1.id', () => menu({ options: { '1': { kind: 'subaccount', id: s.foreign } } })],
    ['a fallback to a hunt group of another account', 'fallback.id', () => menu({ fallback: { kind: 'hunt_group', id: foreignHunt } })],
    ['a conference key on a phone subaccount', 'options.3.id', () => menu({ options: { '3': { kind: 'conference', id: s.alice } } })],
    ['a key to a menu that does not exist', 'options.9.id', () => menu({ options: { '9': { kind: 'ivr_menu', id: '00000000-0000-4000-8000-000000000009' } } })],
    ['a forward to no phone number', 'options.0.e164', () => menu({ options: { '0': { kind: 'number', e164: '+99912345678' } } })],
    ['no prompt', 'greeting', () => menu({ greeting: '' })],
  ])('refuses %s with 400 naming %s', async (_name, field, body) => {
    const reply = await acct.owner.post(path('/ivr-menus'), body());
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('refuses a change that leaves callers in a loop of menus with no way out', async () => {
    const a = (await acct.owner.post(path('/ivr-menus'), menu({ name: 'Loop A' }))).body.id as string;
    const b = await acct.owner.post(path('/ivr-menus'), menu({ name: 'Loop B', options: { '1': { kind: 'ivr_menu', id: a } }, fallback: { kind: 'ivr_menu', id: a } }));
    expect(b.status).toBe(201);
    const trap = await acct.owner.patch(path(`/ivr-menus/${a}`), { options: { '1': { kind: 'ivr_menu', id: b.body.id } } });
    expect(trap.status).toBe(400);
    expect(trap.body.error.field).toBe('options');
    expect(trap.body.error.message).toMatch(/Loop A → Loop B|Loop B → Loop A/);
    // nothing was saved: key 1 of A still leads to Alice
    expect((await acct.owner.get(path(`/ivr-menus/${a}`))).body.options).toEqual({ '1': { kind: 'subaccount', id: s.alice } });
  });

  it('refuses a fallback circle even when keys lead out (a caller who presses nothing)', async () => {
    const a = (await acct.owner.post(path('/ivr-menus'), menu())).body.id as string;
    const reply = await acct.owner.patch(path(`/ivr-menus/${a}`), { fallback: { kind: 'ivr_menu', id: a } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('fallback');
  });

  it('refuses a schedule change that closes the only way out of a menu loop', async () => {
    const sched = (await acct.owner.post(path('/schedules'), office())).body.id as string;
    const a = (await acct.owner.post(path('/ivr-menus'), menu({ name: 'Night A', options: { '1': { kind: 'schedule', id: sched } } }))).body.id as string;
    const b = await acct.owner.post(path('/ivr-menus'), menu({ name: 'Night B', options: { '1': { kind: 'ivr_menu', id: a } } }));
    await acct.owner.patch(path(`/ivr-menus/${a}`), { options: { '1': { kind: 'schedule', id: sched }, '2': { kind: 'ivr_menu', id: b.body.id } } });
    const reply = await acct.owner.patch(path(`/schedules/${sched}`), { open: { kind: 'ivr_menu', id: b.body.id }, closed: { kind: 'ivr_menu', id: a } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('open.id');
  });
});

describe('schedules', () => {
  it('are created with weekdays and holidays tidied, changed and removed', async () => {
    const created = await acct.owner.post(path('/schedules'), office({ name: 'Office hours' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Office hours',
      weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' }],
      holidays: ['2026-12-25', '2026-12-26'],
      open: { kind: 'subaccount', id: s.alice },
      closed: { kind: 'number', e164: '+447400123456' },
    });
    const changed = await acct.owner.patch(path(`/schedules/${created.body.id}`), { weekly: [{ days: [6], from: '22:00', to: '06:00' }] });
    expect(changed.body).toMatchObject({ name: 'Office hours', weekly: [{ days: [6], from: '22:00', to: '06:00' }], holidays: ['2026-12-25', '2026-12-26'] });
    expect((await acct.owner.delete(path(`/schedules/${created.body.id}`))).status).toBe(204);
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['a range that starts and ends together', 'weekly.0.to', () => office({ weekly: [{ days: [1], from: '09:00', to: '09:00' }] })],
    ['weekday 8', 'weekly.0.days.0', () => office({ weekly: [{ days: [8], from: '09:00', to: '17:00' }] })],
    ['a holiday that is no date', 'holidays.0', () => office({ holidays: ['25/12/2026'] })],
    ['an open branch in another account', 'open.id', () => office({ open: { kind: 'subaccount', id: s.foreign } })],
    ['a closed branch to no phone number', 'closed.e164', () => office({ closed: { kind: 'number', e164: '+99912345678' } })],
    ['no closed branch', 'closed', () => office({ closed: undefined })],
  ])('refuses %s with 400 naming %s', async (_name, field, body) => {
    const reply = await acct.owner.post(path('/schedules'), body());
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('refuses a branch that leads back to the schedule', async () => {
    const a = (await acct.owner.post(path('/schedules'), office())).body.id as string;
    const b = (await acct.owner.post(path('/schedules'), office({ closed: { kind: 'schedule', id: a } }))).body.id as string;
    const reply = await acct.owner.patch(path(`/schedules/${a}`), { open: { kind: 'schedule', id: b } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('open.id');
  });
});

describe('numbers ring every kind of destination', () => {
  it.each<[string, () => Promise<Record<string, unknown>>]>([
    ['a subaccount', async () => ({ kind: 'subaccount', id: s.alice })],
    ['a conference', async () => ({ kind: 'conference', id: s.board })],
    ['a hunt group', async () => ({ kind: 'hunt_group', id: (await acct.owner.post(path('/hunt-groups'), hunt())).body.id })],
    ['an IVR menu', async () => ({ kind: 'ivr_menu', id: (await acct.owner.post(path('/ivr-menus'), menu())).body.id })],
    ['a schedule', async () => ({ kind: 'schedule', id: (await acct.owner.post(path('/schedules'), office())).body.id })],
    ['a forward to another number', async () => ({ kind: 'number', e164: '+447400123456' })],
  ])('%s', async (_name, destination) => {
    const d = await destination();
    const created = await plane.operator.post(path('/numbers'), { number: did(), destination: d });
    expect(created.status).toBe(201);
    expect(created.body.destination).toEqual(d);
    const unrouted = await plane.operator.post(path('/numbers'), { number: did() });
    const routed = await acct.owner.patch(path(`/numbers/${unrouted.body.id}`), { destination: d });
    expect(routed.body.destination).toEqual(d);
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['a hunt group of another account', 'destination.id', () => ({ kind: 'hunt_group', id: foreignHunt })],
    ['a conference that is a phone subaccount', 'destination.id', () => ({ kind: 'conference', id: s.alice })],
    ['a schedule that does not exist', 'destination.id', () => ({ kind: 'schedule', id: '00000000-0000-4000-8000-000000000001' })],
    ['a forward to no phone number', 'destination.e164', () => ({ kind: 'number', e164: '+99912345678' })],
    ['a kind routing does not know', 'destination.kind', () => ({ kind: 'voicemail', id: s.alice })],
  ])('refuses %s with 400 naming %s', async (_name, field, destination) => {
    const reply = await plane.operator.post(path('/numbers'), { number: did(), destination: destination() });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('refuses a number forwarded to itself', async () => {
    const e164 = did();
    const n = await plane.operator.post(path('/numbers'), { number: e164 });
    const reply = await acct.owner.patch(path(`/numbers/${n.body.id}`), { destination: { kind: 'number', e164 } });
    expect([reply.status, reply.body.error.field]).toEqual([400, 'destination.e164']);
  });
});

describe('what the routing directory needs', () => {
  it('keeps caller-ID privacy and local prefixes on the account', async () => {
    const patched = await acct.owner.patch(`/accounts/${acct.id}`, { callerIdPrivacy: 'number', localPrefixes: ['+4420', '+4420', '+44161'] });
    expect(patched.body).toMatchObject({ callerIdPrivacy: 'number', localPrefixes: ['+44161', '+4420'] });
    const abroad = await acct.owner.patch(`/accounts/${acct.id}`, { localPrefixes: ['+4420', '+3314'] });
    expect([abroad.status, abroad.body.error.field]).toEqual([400, 'localPrefixes.1']);
    const bad = await acct.owner.patch(`/accounts/${acct.id}`, { callerIdPrivacy: 'all' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'callerIdPrivacy']);
  });

  it('gives conference subaccounts a size and a moderator PIN sealed at rest, shown only with the credentials', async () => {
    const conf = await acct.owner.post(path('/subaccounts'), { name: 'Town hall', kind: 'conference', maxParticipants: 10, moderatorPin: '4321' });
    expect(conf.status).toBe(201);
    expect(conf.body.conference).toEqual({ maxParticipants: 10, hasModeratorPin: true });
    expect(conf.body.credentials.moderatorPin).toBe('4321');
    const row = await plane.db.selectFrom('subaccounts').select('conference_moderator_pin_enc').where('id', '=', conf.body.id).executeTakeFirstOrThrow();
    expect(row.conference_moderator_pin_enc).toMatch(/^v1\./);
    expect(JSON.stringify((await acct.owner.get(path(`/subaccounts/${conf.body.id}`))).body)).not.toContain('4321');
    expect((await acct.owner.get(path(`/subaccounts/${conf.body.id}/credentials`))).body.moderatorPin).toBe('4321');
    const audit = await acct.owner.get(path('/audit?entity=subaccount'));
    expect(JSON.stringify(audit.body)).not.toContain('4321');

    const cleared = await acct.owner.patch(path(`/subaccounts/${conf.body.id}`), { moderatorPin: null, maxParticipants: 20 });
    expect(cleared.body.conference).toEqual({ maxParticipants: 20, hasModeratorPin: false });
    const defaulted = await acct.owner.post(path('/subaccounts'), { name: 'Stand-up', kind: 'conference' });
    expect(defaulted.body.conference).toEqual({ maxParticipants: 50, hasModeratorPin: false });
    expect(defaulted.body.credentials.moderatorPin).toBeNull();
    const phone = await acct.owner.post(path('/subaccounts'), { name: 'Desk', maxParticipants: 5 });
    expect([phone.status, phone.body.error.field]).toEqual([400, 'maxParticipants']);
    expect((await acct.owner.get(path(`/subaccounts/${s.alice}`))).body.conference).toBeNull();
    const same = await acct.owner.patch(path(`/subaccounts/${conf.body.id}`), { moderatorPin: conf.body.credentials.conferencePasscode });
    expect([same.status, same.body.error.field]).toEqual([400, 'moderatorPin']);
  });

  it('loads a directory that routes an extension, a DID to an IVR menu and a DID to a hunt group', async () => {
    const group = (await acct.owner.post(path('/hunt-groups'), hunt({ name: 'Directory sales', extension: '700' }))).body;
    const reception = (await acct.owner.post(path('/ivr-menus'), menu({ options: { '1': { kind: 'hunt_group', id: group.id }, '2': { kind: 'subaccount', id: s.bob }, '3': { kind: 'conference', id: s.board } } }))).body;
    const [toMenu, toHunt] = [did(), did()];
    await plane.operator.post(path('/numbers'), { number: toMenu, destination: { kind: 'ivr_menu', id: reception.id } });
    await plane.operator.post(path('/numbers'), { number: toHunt, destination: { kind: 'hunt_group', id: group.id } });

    const directory = await loadDirectory(plane.db);
    expect(directory.ivrMenu(reception.id)?.options['3']).toEqual({ kind: 'conference', id: s.board });
    expect(directory.subaccount(s.board)?.conference).toEqual({ maxParticipants: 50, hasModeratorPin: false });
    const request = (dialed: string, from: RouteRequest['from'] = { kind: 'subaccount', subaccountId: s.alice }): RouteRequest => ({
      from, dialed, busy: new Set(), huntCursors: new Map(), random: () => 0,
    });
    const now = new Date('2026-11-25T10:00:00Z');
    expect(routeCall(directory, request('102'), now)).toMatchObject({ outcome: 'route', callClass: 'extension', steps: [{ kind: 'bridge_subaccount', subaccountId: s.bob }] });
    const carrier = { kind: 'trunk', trunkId: 'carrier-1', accountId: null, caller: { name: '', number: '+447700900123' } } as const;
    expect(routeCall(directory, request(toMenu, carrier), now)).toMatchObject({ outcome: 'route', direction: 'incoming', steps: [{ kind: 'ivr', menuId: reception.id }] });
    const ringAll = { kind: 'hunt', huntGroupId: group.id, rounds: [{ targets: [{ kind: 'subaccount', subaccountId: s.alice }, { kind: 'subaccount', subaccountId: s.bob }], timeoutSeconds: 60 }] };
    expect(routeCall(directory, request(toHunt, carrier), now)).toMatchObject({ outcome: 'route', steps: [ringAll] });
    expect(routeCall(directory, request('700'), now)).toMatchObject({ outcome: 'route', callClass: 'extension', steps: [ringAll] });
  });

  it('hands the switch a cached directory that every change through the API refreshes', async () => {
    const before = await plane.features.directory.get();
    expect(await plane.features.directory.get()).toBe(before);
    const group = (await acct.owner.post(path('/hunt-groups'), hunt())).body;
    const after = await plane.features.directory.get();
    expect(after).not.toBe(before);
    expect(after.huntGroup(group.id)?.name).toBe(group.name);
  });
});
