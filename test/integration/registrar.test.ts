// The registrar on a real database, fed real SIP text parsed by drachtio-srf
// (a faithful peer for drachtio-server; test/e2e runs the same against the real
// server with SIPp). Digest, bindings, expiry bounds, wildcard, NAT source, bans.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbuseGuard } from '../../server/sip/abuse.js';
import { DigestAuthenticator } from '../../server/sip/authenticate.js';
import { NonceSigner } from '../../server/sip/nonces.js';
import { registrar } from '../../server/sip/registrar.js';
import type { SipRequest } from '../../server/sip/message.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { recorder, sipRequest } from '../support/sip-peer.js';

let plane: TestPlane;
let realm: string;
let guard: AbuseGuard;
let handle: (req: SipRequest, res: ReturnType<typeof recorder>) => Promise<void>;
let accountId: string;
let aliceId: string;
let owner: Awaited<ReturnType<typeof customerAccount>>['owner'];

beforeAll(async () => {
  plane = await startTestPlane();
  const acct = await customerAccount(plane, 'Registrar Co');
  ({ realm, owner } = acct);
  accountId = acct.id;
  aliceId = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Alice', sipUser: 'alice', sipPassword: 'Alice-secret-1' })).body.id;
  guard = new AbuseGuard({
    db: plane.db,
    settings: { scannerAgents: ['friendly-scanner'], rate: { requests: 1000, seconds: 2 }, authFailures: { failures: 5, seconds: 600 }, banSeconds: 3600, allow: ['10.9.9.0/24'] },
  });
  await guard.start(60_000);
  const auth = new DigestAuthenticator({ db: plane.db, box: plane.box, signer: new NonceSigner(crypto.randomBytes(32), 300), algorithms: ['SHA-256', 'MD5'] });
  handle = registrar({ db: plane.db, auth, guard, limits: { min: 60, default: 3600, max: 3600, maxBindings: 3 }, digest: ['SHA-256', 'MD5'] });
});
afterAll(async () => {
  guard.stop();
  await plane.stop();
});

let cseq = 1;
function register(opts: { user?: string; contact?: string; expires?: string; authorization?: string; extra?: string }) {
  const user = opts.user ?? 'alice';
  return `REGISTER sip:${realm} SIP/2.0
    Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK${crypto.randomBytes(4).toString('hex')}
    From: <sip:${user}@${realm}>;tag=abc
    To: <sip:${user}@${realm}>
    Call-ID: reg-${user}-1
    CSeq: ${cseq++} REGISTER
    ${opts.contact === undefined ? `Contact: <sip:${user}@192.168.1.20:5062>` : opts.contact}
    ${opts.expires === undefined ? '' : `Expires: ${opts.expires}`}
    ${opts.authorization ? `Authorization: ${opts.authorization}` : ''}
    ${opts.extra ?? ''}
    User-Agent: Yealink SIP-T46U 108.86.0.20
    Content-Length: 0
`.replace(/^\s*\n/gm, '');
}

/** Challenge, then answer with SHA-256 (or MD5) computed here independently. */
async function authorized(opts: Parameters<typeof register>[0] & { password?: string; algorithm?: 'SHA-256' | 'MD5'; source?: string }) {
  const source = { address: opts.source ?? '203.0.113.7', port: 40000, protocol: 'udp' };
  const first = recorder();
  await handle(sipRequest(register(opts), source), first);
  expect(first.last()?.status).toBe(401);
  const challengeText = first.last()!.headers['WWW-Authenticate']!;
  const algorithm = opts.algorithm ?? 'SHA-256';
  const challenge = challengeText.split('\r\nWWW-Authenticate: ').find((c) => c.includes(`algorithm=${algorithm}`))!;
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const h = (s: string) => crypto.createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(s).digest('hex');
  const user = opts.user ?? 'alice';
  const uri = `sip:${realm}`;
  const ha1 = h(`${user}:${realm}:${opts.password ?? 'Alice-secret-1'}`);
  const response = h(`${ha1}:${nonce}:00000001:c0ffee:auth:${h(`REGISTER:${uri}`)}`);
  const authorization = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="c0ffee"`;
  const second = recorder();
  await handle(sipRequest(register({ ...opts, authorization }), source), second);
  return { res: second.last()!, authorization, source, challenge: first.last()! };
}

describe('registrar', () => {
  it('challenges with SHA-256 and MD5, registers, and stores the source address for NAT', async () => {
    const { res, challenge } = await authorized({ expires: '3600' });
    expect(challenge.headers['WWW-Authenticate']).toMatch(/^Digest realm=".*", nonce=".*", algorithm=SHA-256, qop="auth"\r\nWWW-Authenticate: Digest .*algorithm=MD5/);
    expect(res.status).toBe(200);
    expect(res.headers.Contact).toBe('<sip:alice@192.168.1.20:5062>;expires=3600');
    const listed = await owner.get(`/accounts/${accountId}/subaccounts/${aliceId}/registrations`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ contact: 'sip:alice@192.168.1.20:5062', sourceAddress: '203.0.113.7', sourcePort: 40000, transport: 'udp', userAgent: 'Yealink SIP-T46U 108.86.0.20' }),
    ]);
  });

  it('accepts MD5 as well', async () => {
    expect((await authorized({ algorithm: 'MD5', contact: 'Contact: <sip:alice@192.168.1.21:5062>' })).res.status).toBe(200);
  });

  it('refuses a replayed nonce-count', async () => {
    const { authorization, source } = await authorized({ contact: 'Contact: <sip:alice@192.168.1.22:5062>' });
    const again = recorder();
    await handle(sipRequest(register({ authorization, contact: 'Contact: <sip:alice@192.168.1.22:5062>' }), source), again);
    expect(again.last()!.status).toBe(401);
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    const wrong = await authorized({ password: 'not-it-at-all', source: '198.51.100.1' });
    const unknown = await authorized({ user: 'mallory', password: 'not-it-at-all', source: '198.51.100.2' });
    expect(wrong.res).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
    expect(unknown.res).toEqual(wrong.res);
    const shape = (c: string) => c.replace(/nonce="[^"]+"/g, 'nonce=""');
    expect(shape(unknown.challenge.headers['WWW-Authenticate']!)).toBe(shape(wrong.challenge.headers['WWW-Authenticate']!));
  });

  it('answers an expiry below the minimum with 423 and Min-Expires, and clamps a long one', async () => {
    const brief = await authorized({ expires: '30', contact: 'Contact: <sip:alice@192.168.1.23:5062>' });
    expect(brief.res).toMatchObject({ status: 423, headers: { 'Min-Expires': '60' } });
    const long = await authorized({ contact: 'Contact: <sip:alice@192.168.1.23:5062>;expires=86400' });
    expect(long.res.headers.Contact).toContain('<sip:alice@192.168.1.23:5062>;expires=3600');
  });

  it('replaces the binding of the same device (+sip.instance) instead of adding one', async () => {
    const inst = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-000000000001>";reg-id=1';
    await authorized({ contact: `Contact: <sip:alice@192.168.1.30:5062>;${inst}` });
    const moved = await authorized({ contact: `Contact: <sip:alice@192.168.1.31:5062>;${inst}` });
    expect(moved.res.headers.Contact).toContain('192.168.1.31');
    expect(moved.res.headers.Contact).not.toContain('192.168.1.30');
  });

  it('keeps at most maxBindings, dropping the oldest', async () => {
    for (const n of [40, 41, 42, 43]) await authorized({ contact: `Contact: <sip:alice@192.168.1.${n}:5062>` });
    const rows = await plane.db.selectFrom('registrations').select('contact').where('subaccount_id', '=', aliceId).execute();
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.contact)).toContain('sip:alice@192.168.1.43:5062');
  });

  it('removes every binding with Contact: * and Expires: 0, and refuses * without Expires: 0', async () => {
    expect((await authorized({ contact: 'Contact: *', expires: '3600' })).res.status).toBe(400);
    const all = await authorized({ contact: 'Contact: *', expires: '0' });
    expect(all.res.status).toBe(200);
    expect(all.res.headers.Contact).toBeUndefined();
    expect((await owner.get(`/accounts/${accountId}/subaccounts/${aliceId}/registrations`)).body.items).toEqual([]);
  });

  it('answers a REGISTER without a usable To or Contact with 400, and keeps serving', async () => {
    const res = recorder();
    await handle(sipRequest(register({ contact: 'Contact: <<<garbage' })), res);
    expect(res.last()!.status).toBe(400);
    expect((await authorized({})).res.status).toBe(200);
  });

  it('bans a source after 5 failed authentications; an allow-listed one never', async () => {
    for (let i = 0; i < 5; i++) await authorized({ password: 'guess-guess-1', source: '198.51.100.66' });
    expect(guard.isBanned('198.51.100.66')).toBe(true);
    expect(await guard.screen('198.51.100.66', 'Yealink')).toBe('drop');
    expect(await guard.screen('203.0.113.7', 'Yealink')).toBe('pass');
    for (let i = 0; i < 6; i++) await authorized({ password: 'guess-guess-1', source: '10.9.9.9' });
    expect(await guard.screen('10.9.9.9', 'Yealink')).toBe('pass');
    const bans = await plane.operator.get('/sip/bans');
    expect(bans.body.items.map((b: { address: string }) => b.address)).toEqual(['198.51.100.66']);
    expect((await plane.operator.delete('/sip/bans/198.51.100.66')).status).toBe(204);
    expect((await plane.operator.get('/sip/bans')).body.items).toEqual([]);
  });

  it('drops scanner user agents without an answer', async () => {
    expect(await guard.screen('198.51.100.9', 'friendly-scanner')).toBe('drop');
    expect(await guard.screen('198.51.100.9', 'Grandstream HT802')).toBe('pass');
  });
});
