// Account settings of seed 003 over HTTP: contacts, phone number display
// format (numbers carry a `display`), trunk limits, country and realm checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane({ CALLPLANE_USAGE_CHECK_INTERVAL: '0' });
});
afterAll(() => plane.stop());

describe('account settings', () => {
  it('stores technical and billing contacts, reading a national phone in the account’s country', async () => {
    const acct = await customerAccount(plane, 'Contact Co', plane.operator, { country: 'GB' });
    const reply = await acct.owner.patch(`/accounts/${acct.id}`, {
      technicalContact: { name: 'Tech Desk', email: 'Tech@Contact.example', phone: '020 7183 8750' },
      billingContact: { name: 'Accounts' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      technicalContact: { name: 'Tech Desk', email: 'tech@contact.example', phone: '+442071838750' },
      billingContact: { name: 'Accounts', email: null, phone: null },
    });
    expect((await acct.owner.get(`/accounts/${acct.id}`)).body.technicalContact.phone).toBe('+442071838750');
    const cleared = await acct.owner.patch(`/accounts/${acct.id}`, { billingContact: null });
    expect(cleared.body.billingContact).toBeNull();
  });

  it('shows numbers in the account’s number format', async () => {
    const acct = await customerAccount(plane, 'Format Co', plane.operator, { country: 'US' });
    const us = (await plane.operator.post(`/accounts/${acct.id}/numbers`, { number: '+14155550123' })).body;
    const gb = (await plane.operator.post(`/accounts/${acct.id}/numbers`, { number: '+442071838751' })).body;
    expect([us.display, gb.display]).toEqual(['+1 415 555 0123', '+44 20 7183 8751']);
    const patched = await acct.owner.patch(`/accounts/${acct.id}`, { numberFormat: { style: 'international_with_national_for', nationalFor: ['us'] } });
    expect(patched.body.numberFormat).toEqual({ style: 'international_with_national_for', nationalFor: ['US'] });
    const shown = (await acct.owner.get(`/accounts/${acct.id}/numbers`)).body.items.map((n: { e164: string; display: string }) => [n.e164, n.display]);
    expect(shown.sort()).toEqual([['+14155550123', '(415) 555-0123'], ['+442071838751', '+44 20 7183 8751']]);
    await acct.owner.patch(`/accounts/${acct.id}`, { numberFormat: { style: 'national' } });
    expect((await acct.owner.get(`/accounts/${acct.id}/numbers/${gb.id}`)).body.display).toBe('020 7183 8751');
  });

  it.each([
    ['an unknown country', { country: 'XX' }, 'country'],
    ['an unknown country in the number format', { numberFormat: { style: 'international_with_national_for', nationalFor: ['ZZ'] } }, 'numberFormat.nationalFor.0'],
    ['countries with a plain style', { numberFormat: { style: 'national', nationalFor: ['US'] } }, 'numberFormat.nationalFor'],
    ['a contact phone that is no number', { technicalContact: { name: 'X', phone: '12' } }, 'technicalContact.phone'],
    ['a contact without a name', { billingContact: { name: '' } }, 'billingContact.name'],
  ])('refuses %s naming the field', async (_what, body, field) => {
    const acct = await customerAccount(plane, 'Bad Settings Co');
    const reply = await acct.owner.patch(`/accounts/${acct.id}`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('lets staff set trunk limits; the owner sees them but may not change them', async () => {
    const acct = await customerAccount(plane, 'Trunk Co');
    expect((await acct.owner.get(`/accounts/${acct.id}`)).body.trunkLimits).toEqual({ inbound: null, outbound: null, twoWay: null });
    const limits = { inbound: 2, outbound: 1, twoWay: 5 };
    expect((await plane.operator.patch(`/accounts/${acct.id}`, { trunkLimits: limits })).body.trunkLimits).toEqual(limits);
    expect((await acct.owner.patch(`/accounts/${acct.id}`, { trunkLimits: { ...limits, twoWay: 50 } })).status).toBe(403);
    expect((await acct.owner.get(`/accounts/${acct.id}`)).body.trunkLimits).toEqual(limits);
  });

  it('answers a realm rename onto another account’s realm with 409 naming realm', async () => {
    const a = await customerAccount(plane, 'Realm A');
    const b = await customerAccount(plane, 'Realm B');
    const reply = await a.owner.patch(`/accounts/${a.id}`, { realm: b.realm, confirmRealmChange: true });
    expect(reply.status).toBe(409);
    expect(reply.body.error.field).toBe('realm');
  });
});
