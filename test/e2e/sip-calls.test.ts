// Calls through a real drachtio-server. SIPp stands in for FreeSWITCH on the
// SIP side (the relay's far end, and the source of calls to subaccounts) and
// for a calling desk phone; small UDP phones (support/udp-phone.ts) register
// and take calls. Runs when DRACHTIO_HOST is set, like sip-registrar.test.ts.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { auth, csv, listening, sipp, sipTarget } from './support/sipp.js';
import { SipJsPhone } from './support/sipjs-phone.js';
import { UdpPhone, header } from './support/udp-phone.js';

const drachtio = process.env.DRACHTIO_HOST;
if (!drachtio) console.log('SIP call e2e skipped: DRACHTIO_HOST is not set (start a drachtio-server and set DRACHTIO_HOST, DRACHTIO_SIP)');

const SWITCH = { host: '127.0.0.2', port: 5080 };
const [edgeHost, edgePort] = sipTarget.split(':') as [string, string];

describe.skipIf(!drachtio)('calls through the SIP edge', () => {
  let plane: TestPlane;
  let realm: string;
  let accountId: string;
  let owner: Awaited<ReturnType<typeof customerAccount>>['owner'];
  let desk: { id: string; sipUser: string };
  let shared: { id: string; sipUser: string };
  const phones: UdpPhone[] = [];

  const phone = async (ip: string, answer: boolean, ringMs = 100) => {
    const p = new UdpPhone({ ip, server: { host: edgeHost, port: Number(edgePort) }, answer, ringMs });
    await p.start();
    phones.push(p);
    return p;
  };

  beforeAll(async () => {
    plane = await startTestPlane({
      DRACHTIO_HOST: drachtio!,
      DRACHTIO_PORT: process.env.DRACHTIO_PORT ?? '9022',
      DRACHTIO_SECRET: process.env.DRACHTIO_SECRET ?? 'cymru',
      FREESWITCH_SIP: `${SWITCH.host}:${SWITCH.port}`,
      CALLPLANE_SIP_DIGEST: 'MD5,SHA-256',
      CALLPLANE_SIP_ALLOW: '127.0.0.0/8',
    });
    await plane.sip!.connected;
    const acct = await customerAccount(plane, 'E2E Calls');
    ({ realm, owner } = acct);
    accountId = acct.id;
    const mk = async (name: string) => (await owner.post(`/accounts/${accountId}/subaccounts`, { name, sipUser: name, sipPassword: `${name}-Password-1` })).body;
    desk = await mk('desk');
    shared = await mk('shared');
  }, 60_000);
  afterAll(async () => {
    for (const p of phones) p.close();
    await plane?.stop();
  });

  it('relays an authenticated call from a device to FreeSWITCH with the caller identity, never a forged one', async () => {
    const switchSide = sipp({ scenario: 'switch-uas.xml', source: SWITCH.host, port: SWITCH.port, timeoutSeconds: 15 });
    await listening(SWITCH.host, SWITCH.port);
    const device = await sipp({ scenario: 'device-invite.xml', inf: csv([['desk', realm, auth('desk', 'desk-Password-1')]]), keys: { dialed: '102' } });
    const sw = await switchSide;
    expect(device.code, device.errors).toBe(0);
    expect(sw.code, sw.errors).toBe(0);
    expect(sw.messages).toContain(`X-Callplane-Subaccount: ${desk.id}`);
    expect(sw.messages).toContain(`X-Callplane-Account: ${accountId}`);
  });

  it('passes a hold (re-INVITE a=sendonly) from the device to FreeSWITCH and the answer back', async () => {
    const switchSide = sipp({ scenario: 'switch-uas-hold.xml', source: SWITCH.host, port: SWITCH.port, timeoutSeconds: 15 });
    await listening(SWITCH.host, SWITCH.port);
    const device = await sipp({ scenario: 'device-hold.xml', inf: csv([['desk', realm, auth('desk', 'desk-Password-1')]]), keys: { dialed: '102' } });
    const sw = await switchSide;
    expect(device.code, device.errors).toBe(0);
    expect(sw.code, sw.errors).toBe(0);
  });

  it('refuses a call to the public network with 503 when the account’s trunks are all in use', async () => {
    await plane.db.updateTable('accounts').set({ trunks_outbound: 0, trunks_twoway: 0 }).where('id', '=', accountId).execute();
    try {
      const run = await sipp({ scenario: 'device-invite-trunks-full.xml', inf: csv([['desk', realm, auth('desk', 'desk-Password-1')]]), keys: { dialed: '14155550123' } });
      expect(run.code, run.errors).toBe(0);
    } finally {
      await plane.db.updateTable('accounts').set({ trunks_outbound: null, trunks_twoway: null }).where('id', '=', accountId).execute();
    }
  });

  it('forks a call to a subaccount to every device that rings; the first answer wins and the rest are cancelled', async () => {
    const mac = '001565aabbcc';
    await owner.post(`/accounts/${accountId}/devices`, { mac, vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: shared.id, ring: false }] });
    const quiet = await phone('127.0.0.21', true); // the device marked not to ring
    const answering = await phone('127.0.0.22', true, 600); // a softphone, answering after 600 ms
    const ringing = await phone('127.0.0.23', false); // a softphone that never answers
    expect(await quiet.register('shared', realm, 'shared-Password-1', { instance: `urn:uuid:00000000-0000-1000-8000-${mac}` })).toBe(200);
    expect(await answering.register('shared', realm, 'shared-Password-1')).toBe(200);
    expect(await ringing.register('shared', realm, 'shared-Password-1')).toBe(200);
    const call = await sipp({ scenario: 'switch-uac.xml', inf: csv([[shared.id, realm, 'shared']]), source: SWITCH.host });
    expect(call.code, call.errors).toBe(0);
    expect(quiet.invites).toHaveLength(0);
    expect(answering.invites).toHaveLength(1);
    expect(ringing.invites).toHaveLength(1);
    await until(() => ringing.cancels.length === 1 && answering.byes.length === 1, 5000, () => JSON.stringify({ c: ringing.cancels.length, b: answering.byes.length, r: ringing.invites.length, a: answering.invites.length }));
    // sent to where each phone's REGISTER came from
    expect(answering.invites[0]!.start).toContain('sip:shared@127.0.0.22');
  });

  it('resyncs a provisioned device: a NOTIFY check-sync reaches its registration', async () => {
    const mac = '001565ddeeff';
    const dev = await owner.post(`/accounts/${accountId}/devices`, { mac, vendor: 'yealink', model: 'T46U', lines: [{ lineNo: 1, subaccountId: desk.id }] });
    const yealink = await phone('127.0.0.24', true);
    expect(await yealink.register('desk', realm, 'desk-Password-1', { instance: `urn:uuid:00000000-0000-1000-8000-${mac}` })).toBe(200);
    const reply = await owner.post(`/accounts/${accountId}/devices/${dev.body.id}/resync`);
    expect(reply.body).toEqual({ notified: 1, event: 'check-sync;reboot=false' });
    await until(() => yealink.notifies.length === 1);
    expect(header(yealink.notifies[0]!, 'event')).toBe('check-sync;reboot=false');
    const unregistered = await owner.post(`/accounts/${accountId}/devices`, { mac: '001565ddeef0', vendor: 'cisco', model: 'SPA112' });
    expect((await owner.post(`/accounts/${accountId}/devices/${unregistered.body.id}/resync`)).status).toBe(409);
  });

  it('takes a call from a carrier trunk to a DID: the account and DID go to FreeSWITCH, the carrier’s forged headers do not', async () => {
    await plane.operator.post('/trunks', { name: 'Carrier In', inboundAddresses: ['127.0.0.30/32'] });
    await plane.operator.post(`/accounts/${accountId}/numbers`, { number: '+14155550199' });
    await plane.sip!.trunks.refresh();
    const switchSide = sipp({ scenario: 'switch-uas-did.xml', source: SWITCH.host, port: SWITCH.port, timeoutSeconds: 15 });
    await listening(SWITCH.host, SWITCH.port);
    const carrier = await sipp({ scenario: 'carrier-invite.xml', inf: csv([['forged', 'carrier.example', '14155550199']]), source: '127.0.0.30' });
    const sw = await switchSide;
    expect(carrier.code, carrier.errors).toBe(0);
    expect(sw.code, sw.errors).toBe(0);
    expect(sw.messages).toContain(`X-Callplane-Account: ${accountId}`);
    expect(sw.messages).toContain('X-Callplane-Did: +14155550199');
    const unknown = await sipp({ scenario: 'carrier-unknown-did.xml', inf: csv([['forged', 'carrier.example', '14155550100']]), source: '127.0.0.30' });
    expect(unknown.code, unknown.errors).toBe(0);
  });

  it('calls out through a carrier trunk, answering the carrier’s digest challenge with the trunk’s credentials', async () => {
    const trunk = await plane.operator.post('/trunks', {
      name: 'Carrier Out',
      outbound: { host: '127.0.0.31', port: 5090, username: 'trunkuser', password: 'trunk-secret-1' },
    });
    expect(JSON.stringify(trunk.body)).not.toContain('trunk-secret-1');
    await plane.sip!.trunks.refresh();
    const carrier = sipp({ scenario: 'carrier-uas.xml', source: '127.0.0.31', port: 5090, timeoutSeconds: 15 });
    await listening('127.0.0.31', 5090);
    const call = await sipp({ scenario: 'switch-uac-carrier.xml', inf: csv([[trunk.body.id, 'carrier.example', '14155550123']]), source: SWITCH.host });
    const far = await carrier;
    expect(far.code, far.errors).toBe(0);
    expect(call.code, call.errors).toBe(0);
    // the digest the edge answered with, checked here with the trunk's credentials
    const header = /Authorization: Digest (.*)/.exec(far.messages)![1]!;
    const param = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(header)![1]!;
    const md5 = (v: string) => crypto.createHash('md5').update(v).digest('hex');
    const expected = md5(`${md5(`trunkuser:${param('realm')}:trunk-secret-1`)}:${param('nonce')}:${md5(`INVITE:${param('uri')}`)}`);
    expect(param('response')).toBe(expected);
  });

  it('registers a sip.js softphone over WebSocket, rings it, and lets it call out', async () => {
    const ws = new SipJsPhone({ server: process.env.DRACHTIO_WS ?? 'ws://127.0.0.1:8088', user: 'desk', realm, password: 'desk-Password-1' });
    try {
      await ws.register();
      const regs = (await owner.get(`/accounts/${accountId}/subaccounts/${desk.id}/registrations`)).body.items as { transport: string; userAgent: string }[];
      expect(regs).toContainEqual(expect.objectContaining({ transport: 'ws', userAgent: 'callplane-e2e sip.js' }));
      const inbound = await sipp({ scenario: 'switch-uac.xml', inf: csv([[desk.id, realm, 'desk']]), source: SWITCH.host });
      expect(inbound.code, inbound.errors).toBe(0);
      expect(ws.calls).toHaveLength(1);
      const switchSide = sipp({ scenario: 'switch-uas.xml', source: SWITCH.host, port: SWITCH.port, timeoutSeconds: 15 });
      await listening(SWITCH.host, SWITCH.port);
      const outbound = await ws.call('102', realm);
      await outbound.bye();
      const sw = await switchSide;
      expect(sw.code, sw.errors).toBe(0);
      expect(sw.messages).toContain(`X-Callplane-Subaccount: ${desk.id}`);
    } finally {
      await ws.stop();
    }
  });

  it('registers with a carrier that asks for it, answering its challenge with the trunk credentials', async () => {
    const registrar = sipp({ scenario: 'carrier-registrar.xml', source: '127.0.0.32', port: 5091, timeoutSeconds: 20 });
    await listening('127.0.0.32', 5091);
    await plane.operator.post('/trunks', {
      name: 'Registering carrier',
      register: true,
      outbound: { host: '127.0.0.32', port: 5091, username: 'trunkreg', password: 'trunkreg-secret-1' },
    });
    await plane.sip!.trunks.refresh();
    plane.sip!.syncCarrierRegistrations();
    const far = await registrar;
    expect(far.code, far.errors).toBe(0);
    const header = /Authorization: Digest (.*)/.exec(far.messages)![1]!;
    const param = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(header)![1]!;
    const md5 = (v: string) => crypto.createHash('md5').update(v).digest('hex');
    expect(param('response')).toBe(md5(`${md5(`trunkreg:${param('realm')}:trunkreg-secret-1`)}:${param('nonce')}:${md5(`REGISTER:${param('uri')}`)}`));
  });

  it('answers 480 when nothing of the subaccount is registered', async () => {
    const nobody = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'nobody' })).body;
    const run = await sipp({ scenario: 'switch-uac-unavailable.xml', inf: csv([[nobody.id, realm, nobody.sipUser]]), source: SWITCH.host });
    expect(run.code, run.errors).toBe(0);
  });
});

async function until(condition: () => boolean, ms = 5000, state: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${state()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
