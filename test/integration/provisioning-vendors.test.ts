// Provisioning with the REAL vendor modules, as the README's newcomer does it:
// a Yealink T46U, a Grandstream HT802 (two FXS ports) and a Cisco SPA112 added
// through the API fetch their files with their own User-Agents and get complete
// configurations (every line's SIP user, password and server, parsed back);
// guessing attempts get the same 404, are banned after ten, and are audited.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { deviceFetch } from '../support/provision-client.js';
import { until } from '../support/until.js';

const YEALINK = { mac: '805ec0aabbcc', ua: 'Yealink SIP-T46U 66.86.0.15 80:5e:c0:aa:bb:cc', file: '805ec0aabbcc.cfg' };
const HT802 = { mac: 'c074ad112233', ua: 'Grandstream Model HW HT802 SW 1.0.43.11 DevId c074ad112233', file: 'cfgc074ad112233.xml' };
const SPA112 = { mac: '88755a445566', ua: 'Cisco/SPA112-1.4.1(SR5) (88755A445566)(CCQ2147ABCD)', file: 'spa88755a445566.cfg' };

let plane: TestPlane;
let owner: Http;
let accountId: string;
let realm: string;
let url: string;
const subs: { id: string; sipUser: string; password: string }[] = [];
const devices: Record<string, string> = {};
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

const fetchAs = (device: { ua: string; file: string }, from = '127.0.0.1', file = device.file) => deviceFetch(`${url}${file}`, { ua: device.ua, from });

beforeAll(async () => {
  plane = await startTestPlane({ CALLPLANE_SIP_PUBLIC_HOST: 'sip.newcomer.example' });
  const acct = await customerAccount(plane, 'Newcomer', plane.operator, { timezone: 'Europe/Berlin', country: 'DE' });
  [owner, accountId, realm] = [acct.owner, acct.id, acct.realm];
  for (const name of ['Reception', 'Fax', 'Door']) {
    const sub = (await owner.post(`/accounts/${accountId}/subaccounts`, { name })).body;
    const credentials = (await owner.get(`/accounts/${accountId}/subaccounts/${sub.id}/credentials`)).body;
    subs.push({ id: sub.id, sipUser: credentials.sipUser, password: credentials.sipPassword });
  }
  const add = async (mac: string, vendor: string, model: string, lines: { lineNo: number; subaccountId: string }[]) =>
    (await owner.post(`/accounts/${accountId}/devices`, { mac, vendor, model, lines })).body.id as string;
  devices.yealink = await add(YEALINK.mac, 'yealink', 'T46U', [{ lineNo: 1, subaccountId: subs[0]!.id }]);
  devices.ht802 = await add(HT802.mac, 'grandstream', 'HT802', [{ lineNo: 1, subaccountId: subs[1]!.id }, { lineNo: 2, subaccountId: subs[2]!.id }]);
  devices.spa112 = await add(SPA112.mac, 'cisco', 'SPA112', [{ lineNo: 1, subaccountId: subs[2]!.id }]);
  url = (await owner.get(`/accounts/${accountId}/provisioning`)).body.url;
});

afterAll(async () => {
  await plane?.stop();
});

describe('the three devices of the README fetch complete configurations', () => {
  it('a Yealink T46U gets its account.1 line: user, password, server, realm', async () => {
    const reply = await fetchAs(YEALINK);
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const keys = new Map(reply.body.split('\n').filter((l) => l.includes(' = ')).map((l) => l.split(' = ') as [string, string]));
    expect(reply.body.startsWith('#!version:1.0.0.1')).toBe(true);
    expect(keys.get('account.1.enable')).toBe('1');
    expect(keys.get('account.1.user_name')).toBe(subs[0]!.sipUser);
    expect(keys.get('account.1.auth_name')).toBe(subs[0]!.sipUser);
    expect(keys.get('account.1.password')).toBe(subs[0]!.password);
    expect(keys.get('account.1.label')).toBe('101'); // the extension, until a label is set
    // registers in the account's realm, through the edge's public address as outbound proxy
    expect(keys.get('account.1.sip_server.1.address')).toBe(realm);
    expect(keys.get('account.1.outbound_proxy.1.address')).toBe('sip.newcomer.example');
  });

  it('a Grandstream HT802 gets both FXS ports, each with its own subaccount', async () => {
    const reply = await fetchAs(HT802);
    expect(reply.status).toBe(200);
    const config = xml.parse(reply.body).gs_provision.config as Record<string, string>;
    expect([config.P35, config.P34]).toEqual([subs[1]!.sipUser, subs[1]!.password]);
    expect([config.P735, config.P734]).toEqual([subs[2]!.sipUser, subs[2]!.password]);
    expect(config.P47).toContain(realm);
    expect(reply.body).toContain('sip.newcomer.example');
  });

  it('a Cisco SPA112 gets its flat profile with line 1', async () => {
    const reply = await fetchAs(SPA112);
    expect(reply.status).toBe(200);
    const profile = xml.parse(reply.body)['flat-profile'] as Record<string, string>;
    expect([profile.User_ID_1_, profile.Password_1_]).toEqual([subs[2]!.sipUser, subs[2]!.password]);
    expect(profile.Proxy_1_).toContain(realm);
    expect(reply.body).toContain('sip.newcomer.example');
  });

  it('a device edited through the API is served the change on its next fetch', async () => {
    await owner.patch(`/accounts/${accountId}/subaccounts/${subs[0]!.id}`, { name: 'Front desk' });
    const patched = await owner.patch(`/accounts/${accountId}/devices/${devices.yealink}/provisioning`, { lines: { '1': { label: 'Front desk' } } });
    expect(patched.status).toBe(200);
    expect((await fetchAs(YEALINK)).body).toContain('account.1.label = Front desk');
  });
});

describe('guessing attempts', () => {
  it('get one identical 404 for a wrong key, an unknown MAC and a User-Agent naming another MAC, never a password', async () => {
    const wrongKey = await deviceFetch(`${url.replace(/\/p\/[^/]+\//, '/p/not-the-key/')}${YEALINK.file}`, { ua: YEALINK.ua, from: '127.0.0.61' });
    const unknown = await fetchAs({ ua: 'Yealink SIP-T46U 66.86.0.15 80:5e:c0:00:00:01', file: '805ec0000001.cfg' }, '127.0.0.61');
    const mismatch = await fetchAs({ ua: 'Yealink SIP-T46U 66.86.0.15 80:5e:c0:99:99:99', file: YEALINK.file }, '127.0.0.61');
    for (const reply of [wrongKey, unknown, mismatch]) {
      expect(reply.status).toBe(404);
      for (const sub of subs) expect(reply.body).not.toContain(sub.password);
    }
    expect(new Set([wrongKey.body, unknown.body, mismatch.body]).size).toBe(1);
  });

  it('are banned after ten different misses from one address, audited, and lifted by an admin', async () => {
    const guesser = '127.0.0.62';
    for (let i = 0; i < 10; i++) {
      const mac = `805ec00000${String(10 + i)}`;
      expect((await fetchAs({ ua: `Yealink SIP-T46U 66.86.0.15 ${mac.match(/../g)!.join(':')}`, file: `${mac}.cfg` }, guesser)).status).toBe(404);
    }
    // the ban is recorded after the tenth answer (bookkeeping never delays a reply)
    const bans = await until(async () => {
      const items = (await owner.get(`/accounts/${accountId}/provisioning/bans`)).body.items as { address: string }[];
      return items.some((b) => b.address === guesser) ? items : undefined;
    });
    expect(bans).toEqual([expect.objectContaining({ address: guesser })]);
    // banned: even the real device's request from that address is refused now
    await until(async () => ((await fetchAs(YEALINK, guesser)).status === 404 ? true : undefined));
    const fetches = (await owner.get(`/accounts/${accountId}/devices/${devices.yealink}/fetches`)).body.items as { address: string; result: string }[];
    expect(fetches.some((f) => f.address === '127.0.0.61' && f.result !== 'served')).toBe(true);
    expect((await owner.delete(`/accounts/${accountId}/provisioning/bans/${guesser}`)).status).toBe(204);
    expect((await until(async () => ((await fetchAs(YEALINK, guesser)).status === 200 ? true : undefined))) ).toBe(true);
  });
});
