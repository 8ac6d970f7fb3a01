// Provisioning over real HTTP(S) against the in-process plane: what a phone
// gets, what a guesser gets (one identical 404, never a password), bans, the
// audit, discovered devices, key rotation, edits served on the next fetch.
// Each test fetches from loopback addresses of its own so misses stay apart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorRegistry } from '../../server/provisioning/index.js';
import { fakeVendors } from '../support/fake-vendor.js';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { type DeviceRequest, deviceFetch, digestAnswer } from '../support/provision-client.js';

const SIP_PASSWORD = 'Sip-Secret-4711-Alpha';
const OTHER_PASSWORD = 'Sip-Secret-0815-Bravo';
const MAC = '001565aabb01';
const OTHER_MAC = '001565ccdd02';
const ua = (mac: string, model = 'T46U') => `Yealink SIP-${model} 66.86.0.15 ${mac.match(/../g)!.join(':')}`;

let plane: TestPlane;
let dataDir: string;
let owner: Http;
let accountId: string;
let deviceId: string;
let subId: string;
let url: string;
let otherUrl: string;

const base = () => plane.provisioning.httpUrl!;
const get = (p: string, o: DeviceRequest = {}) => deviceFetch(`${base()}${p}`, o);
const keyOf = (u: string) => new URL(u).pathname.split('/')[2]!;
const mine = (file = `${MAC}.cfg`, from = '127.0.0.1') => deviceFetch(`${url}${file}`, { ua: ua(MAC), from });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-prov-'));
  plane = await startTestPlane({ CALLPLANE_DATA_DIR: dataDir, CALLPLANE_PROVISION_TLS_LISTEN: '127.0.0.1:0', CALLPLANE_SIP_PUBLIC_HOST: 'sip.test.example' }, fakeVendors);
  const a = await customerAccount(plane, 'Prov A', plane.operator, { timezone: 'Europe/Berlin' });
  [owner, accountId] = [a.owner, a.id];
  subId = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Alice', sipPassword: SIP_PASSWORD })).body.id;
  deviceId = (await owner.post(`/accounts/${accountId}/devices`, { mac: MAC, vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: subId }] })).body.id;
  url = (await owner.get(`/accounts/${accountId}/provisioning`)).body.url;
  const b = await customerAccount(plane, 'Prov B');
  const bSub = (await b.owner.post(`/accounts/${b.id}/subaccounts`, { name: 'Bob', sipPassword: OTHER_PASSWORD })).body.id;
  await b.owner.post(`/accounts/${b.id}/devices`, { mac: OTHER_MAC, vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: bSub }] });
  otherUrl = (await b.owner.get(`/accounts/${b.id}/provisioning`)).body.url;
});
afterAll(async () => {
  await plane?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a device fetching its configuration', () => {
  it('gets its lines with the SIP password, realm, proxy and timezone, never cached', async () => {
    const reply = await mine();
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toContain(`account.1.password = ${SIP_PASSWORD}`);
    expect(reply.body).toMatch(/account\.1\.sip_server = sip\.test\.example:5060;transport=udp;realm=\S+/);
    expect(reply.body).toContain('timezone = Europe/Berlin');
    expect(reply.body).toContain(`provisioning_url = ${url}`);
  });

  it('gets a vendor’s common file with the key alone, without any password', async () => {
    const reply = await get(`/p/${keyOf(url)}/y000000000000.cfg`, { ua: 'Yealink' });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('auto_provision');
    expect(reply.body).not.toContain(SIP_PASSWORD);
  });

  it('serves over HTTPS with the self-signed certificate generated into the data dir', async () => {
    const ca = fs.readFileSync(path.join(dataDir, 'provisioning-tls', 'cert.pem'), 'utf8');
    const secure = `${plane.provisioning.httpsUrl!}/p/${keyOf(url)}/${MAC}.cfg`;
    const reply = await deviceFetch(secure, { ua: ua(MAC), ca });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(SIP_PASSWORD);
  });
});

describe('every failed check', () => {
  const wrongKey = 'AAAAAAAAAAAAAAAAAAAAAAAA';
  const cases: [string, () => string, string][] = [
    ['wrong key', () => `/p/${wrongKey}/${MAC}.cfg`, ua(MAC)],
    ['missing key', () => `/p/${MAC}.cfg`, ua(MAC)],
    ['malformed key', () => `/p/%27%20or%201=1/${MAC}.cfg`, ua(MAC)],
    ['unknown MAC', () => `/p/${keyOf(url)}/001565eeee99.cfg`, ua('001565eeee99')],
    ['another account’s MAC', () => `/p/${keyOf(url)}/${OTHER_MAC}.cfg`, ua(OTHER_MAC)],
    ['another account’s key', () => `/p/${keyOf(otherUrl)}/${MAC}.cfg`, ua(MAC)],
    ['User-Agent MAC not the path’s', () => `/p/${keyOf(url)}/${MAC}.cfg`, ua('001565aabb77')],
    ['a file no vendor asks for', () => `/p/${keyOf(url)}/wp-login.php`, ua(MAC)],
  ];

  it.each(cases.map(([name, p, agent], i) => [name, p, agent, i] as const))('%s: the same 404, no password', async (_name, p, agent, i) => {
    const reply = await get(p(), { ua: agent, from: `127.0.1.${i + 1}` });
    const reference = await get(`/p/${wrongKey}/${MAC}.cfg`, { from: `127.0.1.${i + 1}` });
    expect(reply.status).toBe(404);
    expect(Buffer.from(reply.body)).toEqual(Buffer.from(reference.body));
    expect(reply.headers['content-type']).toBe(reference.headers['content-type']);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).not.toContain(SIP_PASSWORD);
    expect(reply.body).not.toContain(OTHER_PASSWORD);
  });
});

async function shortLivedDevice(mac: string): Promise<{ id: string; mac: string }> {
  const sub = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: `Short-lived ${mac}`, sipPassword: OTHER_PASSWORD })).body.id;
  const device = await owner.post(`/accounts/${accountId}/devices`, { mac, vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: sub }] });
  return { id: device.body.id, mac };
}

describe('audit', () => {
  it('records every fetch of the device and flags the first from each address', async () => {
    await mine(`${MAC}.cfg`, '127.0.4.1');
    await mine(`${MAC}.cfg`, '127.0.4.1');
    await get(`/p/${keyOf(url)}/${MAC}.cfg`, { ua: ua('001565aabb77'), from: '127.0.4.2' });
    const { body } = await owner.get(`/accounts/${accountId}/devices/${deviceId}/fetches?limit=500`);
    const from = (address: string) => body.items.filter((f: any) => f.address === address);
    expect(from('127.0.4.1').map((f: any) => [f.result, f.firstFromAddress, f.file])).toEqual([
      ['served', false, `${MAC}.cfg`],
      ['served', true, `${MAC}.cfg`],
    ]);
    expect(from('127.0.4.1')[0].userAgent).toBe(ua(MAC));
    expect(from('127.0.4.2').map((f: any) => f.result)).toEqual(['ua_mismatch']);
  });

  it('keeps everyone’s fetches when a device is deleted before its own are written', async () => {
    const gone = await shortLivedDevice('001565aabb0e');
    expect((await deviceFetch(`${url}${gone.mac}.cfg`, { ua: ua(gone.mac), from: '127.0.4.3' })).status).toBe(200);
    await mine(`${MAC}.cfg`, '127.0.4.3');
    // both fetches wait in the same batch while the first device goes
    expect((await owner.delete(`/accounts/${accountId}/devices/${gone.id}`)).status).toBe(204);
    const kept = (await owner.get(`/accounts/${accountId}/devices/${deviceId}/fetches?limit=500`)).body.items;
    expect(kept.filter((f: any) => f.address === '127.0.4.3').map((f: any) => f.result)).toEqual(['served']);
  });

  it('forgets a deleted device’s fetches', async () => {
    const gone = await shortLivedDevice('001565aabb0f');
    await deviceFetch(`${url}${gone.mac}.cfg`, { ua: ua(gone.mac), from: '127.0.4.4' });
    expect((await owner.get(`/accounts/${accountId}/devices/${gone.id}/fetches`)).body.items).toHaveLength(1);
    await owner.delete(`/accounts/${accountId}/devices/${gone.id}`);
    expect(await plane.db.selectFrom('provisioning_fetches').select('id').where('device_id', '=', gone.id).execute()).toEqual([]);
  });
});

describe('guessing', () => {
  it('bans a source after 10 different unknown MACs, visible and liftable by the account', async () => {
    const from = '127.0.5.1';
    for (let i = 0; i < 10; i++) await get(`/p/${keyOf(url)}/00156500${String(i).padStart(4, '0')}.cfg`, { from });
    await plane.provisioning.server.service.settled();
    expect((await mine(`${MAC}.cfg`, from)).status).toBe(404);
    const bans = (await owner.get(`/accounts/${accountId}/provisioning/bans`)).body.items;
    expect(bans).toEqual([expect.objectContaining({ address: from, accountId, reason: '10 failed provisioning lookups in 600 s' })]);
    const fetches = (await owner.get(`/accounts/${accountId}/devices/${deviceId}/fetches?limit=500`)).body.items;
    expect(fetches.find((f: any) => f.address === from)?.result).toBe('banned');
    expect((await owner.delete(`/accounts/${accountId}/provisioning/bans/${from}`)).status).toBe(204);
    expect((await mine(`${MAC}.cfg`, from)).status).toBe(200);
  });

  it('does not count one misconfigured phone retrying the same MAC', async () => {
    const from = '127.0.5.2';
    for (let i = 0; i < 12; i++) await get(`/p/${keyOf(url)}/001565777777.cfg`, { from });
    await plane.provisioning.server.service.settled();
    expect((await mine(`${MAC}.cfg`, from)).status).toBe(200);
  });

  it('bans wrong-key guessers for the operator only to see and lift', async () => {
    const from = '127.0.5.3';
    for (let i = 0; i < 10; i++) await get(`/p/Guess${String(i).padStart(12, '0')}/${MAC}.cfg`, { ua: ua(MAC), from });
    await plane.provisioning.server.service.settled();
    expect((await mine(`${MAC}.cfg`, from)).status).toBe(404);
    expect((await owner.get(`/accounts/${accountId}/provisioning/bans`)).body.items.map((b: any) => b.address)).not.toContain(from);
    expect((await owner.delete(`/accounts/${accountId}/provisioning/bans/${from}`)).status).toBe(404);
    expect((await plane.operator.get('/provisioning/bans')).body.items).toContainEqual(expect.objectContaining({ address: from, accountId: null }));
    expect((await plane.operator.delete(`/provisioning/bans/${from}`)).status).toBe(204);
    expect((await mine(`${MAC}.cfg`, from)).status).toBe(200);
  });
});

describe('account allow list and device credentials', () => {
  it('refuses addresses outside the allow list with the same 404', async () => {
    expect((await owner.patch(`/accounts/${accountId}/provisioning`, { allow: ['127.0.6.0/30'] })).status).toBe(200);
    const outside = await mine(`${MAC}.cfg`, '127.0.6.9');
    expect(outside.status).toBe(404);
    expect(outside.body).not.toContain(SIP_PASSWORD);
    expect((await mine(`${MAC}.cfg`, '127.0.6.1')).status).toBe(200);
    await owner.patch(`/accounts/${accountId}/provisioning`, { allow: [] });
    expect((await mine(`${MAC}.cfg`, '127.0.6.9')).status).toBe(200);
  });

  it('asks for HTTP digest when the device has credentials, and serves only the right answer', async () => {
    const patched = await owner.patch(`/accounts/${accountId}/devices/${deviceId}/provisioning`, { httpCredentials: { user: 'phone1', password: 'digest-pass-1' } });
    expect(patched.status).toBe(200);
    const first = await mine(`${MAC}.cfg`, '127.0.7.1');
    expect(first.status).toBe(401);
    expect(first.body).not.toContain(SIP_PASSWORD);
    const challenge = String(first.headers['www-authenticate']);
    const uri = new URL(`${url}${MAC}.cfg`).pathname;
    const wrong = await deviceFetch(`${url}${MAC}.cfg`, { ua: ua(MAC), from: '127.0.7.1', authorization: digestAnswer(challenge, 'GET', uri, 'phone1', 'not-the-pass') });
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain(SIP_PASSWORD);
    const right = await deviceFetch(`${url}${MAC}.cfg`, { ua: ua(MAC), from: '127.0.7.1', authorization: digestAnswer(challenge, 'GET', uri, 'phone1', 'digest-pass-1') });
    expect(right.status).toBe(200);
    expect(right.body).toContain(SIP_PASSWORD);
    await owner.patch(`/accounts/${accountId}/devices/${deviceId}/provisioning`, { httpCredentials: null });
    expect((await mine(`${MAC}.cfg`, '127.0.7.1')).status).toBe(200);
  });
});

describe('discovered devices', () => {
  it('lists an unknown MAC that used the account’s key, and claiming it creates the device it fetches as', async () => {
    const newMac = '001565123456';
    expect((await get(`/p/${keyOf(url)}/${newMac}.cfg`, { ua: ua(newMac), from: '127.0.8.1' })).status).toBe(404);
    await get(`/p/${keyOf(url)}/001565654321.cfg`, { ua: ua('001565654321'), from: '127.0.8.1' });
    await plane.provisioning.server.service.settled();
    const listed = (await owner.get(`/accounts/${accountId}/provisioning/discovered`)).body.items;
    const seen = listed.find((d: any) => d.mac === newMac);
    expect(seen).toMatchObject({ vendor: 'yealink', model: 'T46U', address: '127.0.8.1', userAgent: ua(newMac) });
    const claimed = await owner.post(`/accounts/${accountId}/provisioning/discovered/${seen.id}/claim`, { label: 'Front desk', lines: [{ lineNo: 1, subaccountId: subId }] });
    expect(claimed.status).toBe(201);
    expect(claimed.body).toMatchObject({ mac: newMac, vendor: 'yealink', model: 'T46U', label: 'Front desk' });
    const fetched = await get(`/p/${keyOf(url)}/${newMac}.cfg`, { ua: ua(newMac), from: '127.0.8.1' });
    expect(fetched.status).toBe(200);
    const other = listed.find((d: any) => d.mac === '001565654321');
    expect((await owner.delete(`/accounts/${accountId}/provisioning/discovered/${other.id}`)).status).toBe(204);
    const left = (await owner.get(`/accounts/${accountId}/provisioning/discovered`)).body.items.map((d: any) => d.mac);
    expect(left).not.toContain(newMac);
    expect(left).not.toContain('001565654321');
  });

  it('does not list MACs tried with a wrong key', async () => {
    await get(`/p/AAAAAAAAAAAAAAAAAAAAAAAA/001565999999.cfg`, { ua: ua('001565999999'), from: '127.0.8.2' });
    await plane.provisioning.server.service.settled();
    const listed = (await owner.get(`/accounts/${accountId}/provisioning/discovered`)).body.items;
    expect(listed.map((d: any) => d.mac)).not.toContain('001565999999');
  });
});

describe('changes through the API', () => {
  it('rotating the key turns the old URL into the same 404 and the new one works', async () => {
    const old = url;
    const rotated = await owner.post(`/accounts/${accountId}/provisioning/rotate`);
    expect(rotated.status).toBe(200);
    url = rotated.body.url;
    expect(url).not.toBe(old);
    const stale = await deviceFetch(`${old}${MAC}.cfg`, { ua: ua(MAC), from: '127.0.9.1' });
    expect(stale.status).toBe(404);
    expect(stale.body).not.toContain(SIP_PASSWORD);
    expect((await mine(`${MAC}.cfg`, '127.0.9.1')).status).toBe(200);
  });

  it('serves edited labels, keys, codecs, language and a new SIP password on the next fetch', async () => {
    expect((await mine()).body).not.toContain('Reception');
    const patched = await owner.patch(`/accounts/${accountId}/devices/${deviceId}/provisioning`, {
      lines: { '1': { displayName: 'Alice Smith', label: 'Reception' } },
      functionKeys: [{ kind: 'blf', position: 1, label: 'Bob', extension: '102' }],
      codecs: ['PCMA', 'G722'],
      language: 'de',
    });
    expect(patched.status).toBe(200);
    const body = (await mine()).body;
    expect(body).toContain('account.1.label = Reception');
    expect(body).toContain('account.1.display_name = Alice Smith');
    expect(body).toContain('linekey.1 = blf Bob 102');
    expect(body).toContain('codecs = PCMA,G722');
    expect(body).toContain('language = de');
    expect(body).toContain(`admin_password = ${patched.body.adminPassword}`);
    await owner.patch(`/accounts/${accountId}/subaccounts/${subId}`, { sipPassword: 'Changed-Sip-Pass-99' });
    const after = (await mine()).body;
    expect(after).toContain('account.1.password = Changed-Sip-Pass-99');
    expect(after).not.toContain(SIP_PASSWORD);
  });

  it('serves a line moved to another subaccount through the devices API on the next fetch', async () => {
    await mine();
    const sub = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Carol', sipPassword: 'Carol-Sip-Pass-77' })).body.id;
    expect((await owner.put(`/accounts/${accountId}/devices/${deviceId}/lines`, { lines: [{ lineNo: 1, subaccountId: sub }] })).status).toBe(200);
    const body = (await mine()).body;
    expect(body).toContain('account.1.password = Carol-Sip-Pass-77');
    await owner.put(`/accounts/${accountId}/devices/${deviceId}/lines`, { lines: [{ lineNo: 1, subaccountId: subId }] });
  });

  it('keeps device passwords out of the audit log', async () => {
    const audit = (await owner.get(`/accounts/${accountId}/audit?entity=device&limit=200`)).body.items;
    const provisioned = audit.filter((e: any) => String(e.action).startsWith('update provisioning'));
    expect(provisioned.length).toBeGreaterThan(0);
    const text = JSON.stringify(provisioned);
    expect(text).not.toContain('digest-pass-1');
    expect(text).not.toContain('adminPassword');
  });
});

describe('uploads', () => {
  it('stores a device’s log after the same checks, refuses it with a wrong key, never serves it back', async () => {
    const file = `${MAC}-app.log`;
    const put = await deviceFetch(`${url}${file}`, { method: 'PUT', ua: ua(MAC), from: '127.0.10.1', body: 'boot ok\n' });
    expect(put.status).toBe(204);
    const refused = await get(`/p/AAAAAAAAAAAAAAAAAAAAAAAA/${file}`, { method: 'PUT', ua: ua(MAC), from: '127.0.10.2', body: 'x' });
    expect(refused.status).toBe(404);
    const tooBig = await deviceFetch(`${url}${file}`, { method: 'PUT', ua: ua(MAC), from: '127.0.10.1', body: Buffer.alloc(1_048_577, 65) });
    expect(tooBig.status).toBe(413);
    expect((await deviceFetch(`${url}${file}`, { ua: ua(MAC), from: '127.0.10.1' })).status).toBe(404);
    const uploads = (await owner.get(`/accounts/${accountId}/devices/${deviceId}/uploads`)).body.items;
    expect(uploads).toEqual([expect.objectContaining({ file, size: 8, address: '127.0.10.1' })]);
  });
});

describe('without the snapshot (CALLPLANE_PROVISION_CACHE_TTL=0)', () => {
  it('reads the database on every request, with the same answers', async () => {
    const uncached = await startTestPlane({ CALLPLANE_PROVISION_CACHE_TTL: '0' }, fakeVendors);
    try {
      const acct = await customerAccount(uncached, 'Uncached');
      const sub = (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Dan', sipPassword: SIP_PASSWORD })).body.id;
      await acct.owner.post(`/accounts/${acct.id}/devices`, { mac: '001565dd0001', vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: sub }] });
      const link = (await acct.owner.get(`/accounts/${acct.id}/provisioning`)).body.url;
      const served = await deviceFetch(`${link}001565dd0001.cfg`, { ua: ua('001565dd0001') });
      expect(served.status).toBe(200);
      expect(served.body).toContain(SIP_PASSWORD);
      const refused = await deviceFetch(`${link}001565dd0002.cfg`, { ua: ua('001565dd0002') });
      expect([refused.status, refused.body]).toEqual([404, 'not found\n']);
    } finally {
      await uncached.stop();
    }
  });
});

describe('the snapshot after a phone’s first fetch', () => {
  it('keeps the files rendered then: a reload renders only what changed', async () => {
    const renders = new Map<string, number>();
    const counting: VendorRegistry = {
      ...fakeVendors,
      module: (vendor) => {
        const module = fakeVendors.module(vendor);
        return module && { ...module, render: (c) => (renders.set(c.mac, (renders.get(c.mac) ?? 0) + 1), module.render(c)) };
      },
    };
    const counted = await startTestPlane({}, counting);
    try {
      const acct = await customerAccount(counted, 'Counted');
      const sub = (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Eve', sipPassword: SIP_PASSWORD })).body.id;
      const device = (await acct.owner.post(`/accounts/${acct.id}/devices`, { mac: '001565ee0001', vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: sub }] })).body.id;
      const link = (await acct.owner.get(`/accounts/${acct.id}/provisioning`)).body.url;
      const fetchIt = () => deviceFetch(`${link}001565ee0001.cfg`, { ua: ua('001565ee0001') });
      const first = await fetchIt(); // makes the device's settings (its admin password)
      // another device added: the snapshot is reloaded, now with the first device's settings in it
      await acct.owner.post(`/accounts/${acct.id}/devices`, { mac: '001565ee0002', vendor: 'yealink', model: 'T46U', lines: [] });
      const again = await fetchIt();
      expect(again.body).toBe(first.body);
      expect(renders.get('001565ee0001')).toBe(1);
      await acct.owner.patch(`/accounts/${acct.id}/devices/${device}`, { label: 'Front desk' });
      expect((await fetchIt()).status).toBe(200);
      expect(renders.get('001565ee0001')).toBe(2);
    } finally {
      await counted.stop();
    }
  });
});
