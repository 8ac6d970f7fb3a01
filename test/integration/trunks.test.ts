// Carrier trunks through the API: operator only, addresses validated, the
// carrier password write-only and encrypted at rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(() => plane.stop());

describe('carrier trunks', () => {
  it('never shows or stores the carrier password in the clear', async () => {
    const created = await plane.operator.post('/trunks', {
      name: 'Main carrier',
      inboundAddresses: ['198.51.100.0/24', '203.0.113.5'],
      outbound: { host: 'sip.carrier.example', username: 'acct123', password: 'carrier-pass-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body.outbound).toEqual({ host: 'sip.carrier.example', port: 5060, transport: 'udp', username: 'acct123' });
    const listed = await plane.operator.get('/trunks');
    expect(JSON.stringify(listed.body)).not.toContain('carrier-pass-1');
    const row = await plane.db.selectFrom('carrier_trunks').select('password_enc').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.password_enc).toMatch(/^v1\./);
    const audit = await plane.db.selectFrom('audit_log').select(['after']).where('entity', '=', 'trunk').execute();
    expect(JSON.stringify(audit)).not.toContain('carrier-pass-1');
  });

  it.each([
    [{ name: 'x', inboundAddresses: ['not-an-ip'] }, 'inboundAddresses.0'],
    [{ name: 'x', inboundAddresses: ['198.51.100.0/33'] }, 'inboundAddresses.0'],
    [{ name: 'x', outbound: { host: 'bad host!' } }, 'outbound.host'],
    [{ name: 'x', outbound: { host: 'h.example', port: 70000 } }, 'outbound.port'],
    [{ name: '' }, 'name'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const reply = await plane.operator.post('/trunks', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('answers a duplicate name with 409, and refuses a trunk of a staff account', async () => {
    await plane.operator.post('/trunks', { name: 'Dup' });
    expect((await plane.operator.post('/trunks', { name: 'Dup' })).body.error.field).toBe('name');
    const me = (await plane.operator.get('/me')).body.account.id;
    expect((await plane.operator.post('/trunks', { name: 'Mine', accountId: me })).body.error.field).toBe('accountId');
  });

  it('is the operator’s alone', async () => {
    const acct = await customerAccount(plane, 'Trunkless');
    expect((await acct.owner.get('/trunks')).status).toBe(403);
  });
});
