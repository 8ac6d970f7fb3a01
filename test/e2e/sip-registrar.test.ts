// End to end through a real drachtio-server with SIPp as the phones: register
// over UDP and TCP, wrong password, unknown user, 423, wildcard unregister,
// OPTIONS, scanner silence, brute force → ban, flood → ban.
// Runs when DRACHTIO_HOST is set (with DRACHTIO_PORT / DRACHTIO_SECRET, and
// DRACHTIO_SIP = the server's SIP address, default 127.0.0.1:5060); the server
// must have no other application connected, and this machine must have sipp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { auth, csv, responses, sipp } from './support/sipp.js';

const drachtio = process.env.DRACHTIO_HOST;
if (!drachtio) console.log('SIP e2e skipped: DRACHTIO_HOST is not set (start a drachtio-server and set DRACHTIO_HOST, DRACHTIO_SIP)');

describe.skipIf(!drachtio)('SIP registrar through drachtio-server', () => {
  let plane: TestPlane;
  let realm: string;
  let accountId: string;
  let owner: Awaited<ReturnType<typeof customerAccount>>['owner'];
  const users: { id: string; user: string; password: string }[] = [];

  beforeAll(async () => {
    plane = await startTestPlane({
      DRACHTIO_HOST: drachtio!,
      DRACHTIO_PORT: process.env.DRACHTIO_PORT ?? '9022',
      DRACHTIO_SECRET: process.env.DRACHTIO_SECRET ?? 'cymru',
      // SIPp answers only the first challenge and knows only MD5
      CALLPLANE_SIP_DIGEST: 'MD5,SHA-256',
      // the phones of these tests all share 127.0.0.1 (like an office behind NAT):
      // allow-list it; the attacks come from other loopback addresses
      CALLPLANE_SIP_ALLOW: '127.0.0.1',
    });
    await plane.sip!.connected;
    const acct = await customerAccount(plane, 'E2E Registrar');
    ({ realm, owner } = acct);
    accountId = acct.id;
    for (let i = 1; i <= 5; i++) {
      const user = `e2e${i}`;
      const password = `E2e-password-${i}`;
      const sub = await owner.post(`/accounts/${accountId}/subaccounts`, { name: user, sipUser: user, sipPassword: password });
      users.push({ id: sub.body.id, user, password });
    }
  }, 60_000);
  afterAll(() => plane?.stop());

  const registrations = async (i: number) =>
    (await owner.get(`/accounts/${accountId}/subaccounts/${users[i]!.id}/registrations`)).body.items as { transport: string; userAgent: string; sourceAddress: string }[];

  it('registers five users from a CSV over UDP and again over TCP; each binding records its transport', async () => {
    const inf = csv(users.map((u) => [u.user, realm, auth(u.user, u.password)]));
    const udp = await sipp({ scenario: 'register.xml', inf, calls: 5, keys: { expires: '3600' } });
    expect(udp.code, udp.errors).toBe(0);
    const tcp = await sipp({ scenario: 'register.xml', inf, transport: 't1', calls: 5, keys: { expires: '3600' } });
    expect(tcp.code, tcp.errors).toBe(0);
    const ok = responses(tcp.messages).filter((r) => r.status === 200);
    expect(ok).toHaveLength(5);
    expect(ok[0]!.text).toMatch(/Contact: <sip:e2e1@127\.0\.0\.1:\d+;transport=UDP>;expires=\d+/);
    const regs = await registrations(0);
    expect(regs.map((r) => r.transport).sort()).toEqual(['tcp', 'udp']);
    expect(regs[0]).toMatchObject({ userAgent: 'callplane-e2e SIPp', sourceAddress: '127.0.0.1' });
  });

  it('answers a wrong password and an unknown user alike: the same challenge, then 403', async () => {
    const wrong = await sipp({ scenario: 'register-forbidden.xml', inf: csv([['e2e2', realm, auth('e2e2', 'wrong-password')]]), source: '127.0.0.11', keys: { expires: '3600' } });
    const unknown = await sipp({ scenario: 'register-forbidden.xml', inf: csv([['nobody', realm, auth('nobody', 'wrong-password')]]), source: '127.0.0.12', keys: { expires: '3600' } });
    expect(wrong.code, wrong.errors).toBe(0);
    expect(unknown.code, unknown.errors).toBe(0);
    const shape = (log: string) =>
      responses(log).map((r) => r.text.replace(/nonce="[^"]+"/g, '').replace(/^(Via|From|To|Call-ID):.*$/gm, '$1'));
    expect(shape(unknown.messages)).toEqual(shape(wrong.messages));
  });

  it('answers an expiry below the minimum with 423 Min-Expires: 60', async () => {
    const run = await sipp({ scenario: 'register-too-brief.xml', inf: csv([['e2e3', realm, auth('e2e3', 'E2e-password-3')]]), keys: { expires: '10' } });
    expect(run.code, run.errors).toBe(0);
  });

  it('removes every binding of a subaccount with Contact: * and Expires: 0', async () => {
    const run = await sipp({ scenario: 'unregister-all.xml', inf: csv([['e2e4', realm, auth('e2e4', 'E2e-password-4')]]), keys: { expires: '3600' } });
    expect(run.code, run.errors).toBe(0);
    expect(await registrations(3)).toEqual([]);
  });

  it('answers OPTIONS with 200', async () => {
    const run = await sipp({ scenario: 'options.xml', inf: csv([['probe', realm]]) });
    expect(run.code, run.errors).toBe(0);
  });

  it('says nothing to a scanner user agent', async () => {
    const run = await sipp({ scenario: 'no-answer.xml', inf: csv([['admin', realm]]), source: '127.0.0.13', keys: { ua: 'friendly-scanner' } });
    expect(run.code, run.errors).toBe(0);
    const control = await sipp({ scenario: 'no-answer.xml', inf: csv([['admin', realm]]), source: '127.0.0.13', keys: { ua: 'Yealink SIP-T46U' } });
    expect(control.code).not.toBe(0);
  });

  it('bans a brute-forcing address after 5 failures while registered users keep working; the API lifts it', async () => {
    const inf = csv(Array.from({ length: 5 }, () => ['e2e5', realm, auth('e2e5', 'guess-guess-guess')]));
    const attack = await sipp({ scenario: 'register-forbidden.xml', inf, calls: 5, rate: 2, source: '127.0.0.14', keys: { expires: '3600' } });
    expect(attack.code, attack.errors).toBe(0);
    const silenced = await sipp({ scenario: 'no-answer.xml', inf: csv([['e2e5', realm]]), source: '127.0.0.14', keys: { ua: 'Yealink' } });
    expect(silenced.code, silenced.errors).toBe(0);
    const good = await sipp({ scenario: 'register.xml', inf: csv([['e2e5', realm, auth('e2e5', 'E2e-password-5')]]), source: '127.0.0.16', keys: { expires: '3600' } });
    expect(good.code, good.errors).toBe(0);
    const bans = (await plane.operator.get('/sip/bans')).body.items as { address: string; reason: string }[];
    expect(bans).toContainEqual(expect.objectContaining({ address: '127.0.0.14', reason: expect.stringContaining('failed authentications') }));
    expect((await plane.operator.delete('/sip/bans/127.0.0.14')).status).toBe(204);
    await new Promise((r) => setTimeout(r, 2500)); // every process refreshes its ban cache within 2 s
    const again = await sipp({ scenario: 'register.xml', inf: csv([['e2e5', realm, auth('e2e5', 'E2e-password-5')]]), source: '127.0.0.14', keys: { expires: '3600' } });
    expect(again.code, again.errors).toBe(0);
  });

  it('bans an address that floods more than 16 requests in 2 s', async () => {
    const flood = await sipp({ scenario: 'options.xml', inf: csv(Array.from({ length: 40 }, () => ['flood', realm])), calls: 40, rate: 40, source: '127.0.0.15', timeoutSeconds: 8 });
    const answered = responses(flood.messages).length;
    expect(answered).toBeGreaterThanOrEqual(16);
    expect(answered).toBeLessThan(40);
    const bans = (await plane.operator.get('/sip/bans')).body.items as { address: string }[];
    expect(bans.map((b) => b.address)).toContain('127.0.0.15');
  });
});
