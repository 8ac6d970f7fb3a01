// Buying phones over HTTP: the catalogue and its prices, an order paid through
// the ledger when placed, shipped with each phone's MAC, delivered as devices
// of the account, or cancelled before shipping and refunded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../server/billing/index.js';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let reseller: Http;
let models: Record<string, { id: string; priceMinor: number }>;
let seq = 0;
const pw = 'orders-password-1';
const freshMac = () => `00156522${String(++seq).padStart(4, '0')}`;

async function tenant(name: string) {
  const acct = await customerAccount(plane, name, reseller);
  const adminEmail = `admin@${name.toLowerCase()}.example`;
  await acct.owner.post(`/accounts/${acct.id}/users`, { email: adminEmail, role: 'admin', password: pw });
  return { ...acct, path: (p = '') => `/accounts/${acct.id}/phone-orders${p}`, admin: await plane.as(adminEmail, pw) };
}

async function ledgerOf(accountId: string) {
  const rows = await plane.db
    .selectFrom('ledger_entries').select(['kind', 'amount_minor', 'currency', 'memo']).where('account_id', '=', accountId).orderBy('id').execute();
  return rows.map((r) => ({ kind: r.kind, amountMinor: Number(r.amount_minor), currency: r.currency, memo: r.memo }));
}

beforeAll(async () => {
  plane = await startTestPlane();
  const email = 'reseller@orders.example';
  await plane.operator.post('/accounts', { name: 'Resale', kind: 'reseller', owner: { email, password: pw } });
  reseller = await plane.as(email, pw);
  const list = (await reseller.get('/phone-models')).body.items as { id: string; vendor: string; model: string; priceMinor: number }[];
  models = Object.fromEntries(list.map((m) => [`${m.vendor} ${m.model}`, m]));
});
afterAll(() => plane.stop());

describe('the catalogue', () => {
  it('lists the supported phones with prices in minor units', async () => {
    expect(Object.keys(models).sort()).toEqual([
      'cisco SPA112', 'fanvil X4U', 'grandstream HT802', 'obihai OBi202', 'polycom VVX450', 'snom D785', 'yealink T46U', 'yealink T54W',
    ]);
    expect(models['yealink T46U']).toMatchObject({ priceMinor: 18900, currency: 'USD', available: true });
  });

  it('the operator changes a price; nobody else may, and placed orders keep theirs', async () => {
    const t = await tenant('Pricing');
    const snom = models['snom D785']!;
    const placed = await t.owner.post(t.path(), { items: [{ modelId: snom.id, quantity: 1 }] });
    expect((await reseller.patch(`/phone-models/${snom.id}`, { priceMinor: 1 })).status).toBe(403);
    expect((await t.owner.patch(`/phone-models/${snom.id}`, { priceMinor: 1 })).status).toBe(403);
    const changed = await plane.operator.patch(`/phone-models/${snom.id}`, { priceMinor: 24900 });
    expect(changed.body.priceMinor).toBe(24900);
    expect((await t.owner.get(t.path(`/${placed.body.id}`))).body).toMatchObject({ totalMinor: snom.priceMinor, items: [{ unitPriceMinor: snom.priceMinor }] });
    const bad = await plane.operator.patch(`/phone-models/${snom.id}`, { priceMinor: 12.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('priceMinor');
  });
});

describe('an order', () => {
  it('is paid when placed, shipped with MACs, and its phones become devices when delivered', async () => {
    const t = await tenant('Buyer');
    const [t46u, ht802] = [models['yealink T46U']!, models['grandstream HT802']!];
    const knownMac = freshMac();
    const placed = await t.owner.post(t.path(), { items: [{ modelId: t46u.id, quantity: 2 }, { modelId: ht802.id, quantity: 1, macs: [knownMac] }] });
    expect(placed.status).toBe(201);
    const total = 2 * t46u.priceMinor + ht802.priceMinor;
    expect(placed.body).toMatchObject({ status: 'placed', totalMinor: total, currency: 'USD', placedBy: t.ownerEmail });
    expect(await ledgerOf(t.id)).toEqual([{ kind: 'adjustment', amountMinor: -total, currency: 'USD', memo: `phone order ${placed.body.id}: paid` }]);
    expect((await balanceOf(plane.db, t.id)).balanceMinor).toBe(-total);

    const move = (who: Http, body: unknown) => who.post(t.path(`/${placed.body.id}/status`), body);
    expect((await move(t.owner, { status: 'shipped' })).status).toBe(403);
    const noMacs = await move(reseller, { status: 'shipped' });
    expect(noMacs.status).toBe(400);
    expect(noMacs.body.error.field).toBe('items.0.macs');
    const macs = [freshMac(), freshMac()];
    const shipped = await move(reseller, { status: 'shipped', items: [{ macs: macs.map((m) => m.toUpperCase().replace(/(..)(?!$)/g, '$1:')) }] });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body.items.map((i: { macs: string[] }) => i.macs)).toEqual([macs, [knownMac]]);
    expect((await move(reseller, { status: 'cancelled' })).status).toBe(409);

    const delivered = await move(reseller, { status: 'delivered' });
    expect(delivered.body).toMatchObject({ status: 'delivered', handledBy: 'reseller@orders.example' });
    const devices = (await t.owner.get(`/accounts/${t.id}/devices`)).body.items as { mac: string; vendor: string; model: string; lines: unknown[] }[];
    expect(devices.map((d) => `${d.mac} ${d.vendor} ${d.model} ${d.lines.length}`).sort()).toEqual(
      [`${macs[0]} yealink T46U 0`, `${macs[1]} yealink T46U 0`, `${knownMac} grandstream HT802 0`].sort(),
    );
    const again = await move(reseller, { status: 'delivered' });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe('status');
  });

  it('cancelled before shipping is refunded in full', async () => {
    const t = await tenant('Refund');
    const obi = models['obihai OBi202']!;
    const placed = await t.owner.post(t.path(), { items: [{ modelId: obi.id, quantity: 3 }] });
    const cancelled = await plane.operator.post(t.path(`/${placed.body.id}/status`), { status: 'cancelled' });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await ledgerOf(t.id)).map((e) => `${e.kind} ${e.amountMinor}`)).toEqual([`adjustment ${-3 * obi.priceMinor}`, `refund ${3 * obi.priceMinor}`]);
    expect((await balanceOf(plane.db, t.id)).balanceMinor).toBe(0);
    expect((await plane.operator.post(t.path(`/${placed.body.id}/status`), { status: 'shipped' })).status).toBe(409);
  });

  it('a delivery that cannot create every device writes nothing: the order stays shipped', async () => {
    const t = await tenant('Clash');
    const [first, clashing] = [freshMac(), freshMac()];
    const placed = await t.owner.post(t.path(), { items: [{ modelId: models['fanvil X4U']!.id, quantity: 2, macs: [first, clashing] }] });
    await reseller.post(t.path(`/${placed.body.id}/status`), { status: 'shipped' });
    const other = await customerAccount(plane, 'Other');
    await other.owner.post(`/accounts/${other.id}/devices`, { mac: clashing, vendor: 'fanvil', model: 'X4U' });
    const refused = await reseller.post(t.path(`/${placed.body.id}/status`), { status: 'delivered' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`cannot deliver: ${clashing}`);
    expect((await t.owner.get(t.path(`/${placed.body.id}`))).body.status).toBe('shipped');
    expect((await t.owner.get(`/accounts/${t.id}/devices`)).body.total).toBe(0);
  });

  it('only the owner places one; admins see them; another tenant gets 404', async () => {
    const t = await tenant('Roles');
    const body = { items: [{ modelId: models['cisco SPA112']!.id, quantity: 1 }] };
    const byAdmin = await t.admin.post(t.path(), body);
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error.message).toBe('only the owner buys phones');
    const placed = await t.owner.post(t.path(), body);
    expect((await t.admin.get(t.path())).body.items.map((o: { id: string }) => o.id)).toEqual([placed.body.id]);
    const stranger = await customerAccount(plane, 'Stranger');
    expect((await stranger.owner.get(t.path(`/${placed.body.id}`))).status).toBe(404);
    expect((await stranger.owner.post(t.path(), body)).status).toBe(404);
  });
});

describe('bad orders', () => {
  it.each([
    ['an unknown model', 'items.0.modelId', () => ({ items: [{ modelId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] })],
    ['no phones', 'items.0.quantity', () => ({ items: [{ modelId: models['yealink T54W']!.id, quantity: 0 }] })],
    ['a malformed MAC', 'items.0.macs.0', () => ({ items: [{ modelId: models['yealink T54W']!.id, quantity: 1, macs: ['00:15:65:zz'] }] })],
    ['more MACs than phones', 'items.0.macs', () => ({ items: [{ modelId: models['yealink T54W']!.id, quantity: 1, macs: [freshMac(), freshMac()] }] })],
    ['an empty order', 'items', () => ({ items: [] })],
  ])('refuses %s with 400 naming %s', async (_what, field, body) => {
    const t = await tenant(`Bad${++seq}`);
    const reply = await t.owner.post(t.path(), body());
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.body.error.field).toBe(field);
    expect(await ledgerOf(t.id)).toEqual([]);
  });

  it('refuses phones priced in another currency than the balance with a 409 saying so, and writes nothing', async () => {
    const t = await tenant(`Euro${++seq}`);
    expect((await plane.operator.post(`/accounts/${t.id}/ledger`, { kind: 'topup', amountMinor: 50_000, currency: 'EUR' })).status).toBe(201);
    const reply = await t.owner.post(t.path(), { items: [{ modelId: models['yealink T54W']!.id, quantity: 1 }] });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ field: 'items', message: expect.stringContaining('priced in USD but the account\'s balance is in EUR') });
    expect((await t.owner.get(t.path())).body.total).toBe(0);
    expect(await ledgerOf(t.id)).toEqual([expect.objectContaining({ kind: 'topup' })]);
  });
});
