// In-dialog features desk phones use every day, through the whole chain with a
// REAL drachtio-server and a REAL FreeSWITCH running dialplans/: early media
// (183 with SDP) from the called phone back to the caller, session-timer
// refreshes mid-call, blind transfer (REFER) and attended transfer (REFER with
// Replaces). The phones are support/dialog-phone.ts. Runs when DRACHTIO_HOST
// and FREESWITCH_ESL_HOST are set, like switch-calls.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { DialogPhone, status } from './support/dialog-phone.js';
import { fsApi } from './support/freeswitch.js';
import { sipTarget } from './support/sipp.js';
import { header } from './support/udp-phone.js';
import { until } from '../support/until.js';
import { switchPlaneEnv } from './support/switch-plane.js';

const drachtio = process.env.DRACHTIO_HOST;
const freeswitch = process.env.FREESWITCH_ESL_HOST;
if (!drachtio || !freeswitch) console.log('transfer e2e skipped: set DRACHTIO_HOST and FREESWITCH_ESL_HOST (a FreeSWITCH running dialplans/)');

const [edgeHost, edgePort] = sipTarget.split(':') as [string, string];
type Sub = { id: string; extension: string; networkNumber: string };

describe.skipIf(!drachtio || !freeswitch)('transfers, session timers and early media through FreeSWITCH', () => {
  let plane: TestPlane;
  let realm: string;
  let accountId: string;
  const subs: Record<string, Sub> = {};
  const phones: Record<string, DialogPhone> = {};

  beforeAll(async () => {
    plane = await startTestPlane(switchPlaneEnv(drachtio!, freeswitch!));
    await plane.sip!.connected;
    const acct = await customerAccount(plane, 'E2E Transfers', plane.operator, { country: 'US' });
    realm = acct.realm;
    accountId = acct.id;
    const ips = { alice: '127.0.0.61', bob: '127.0.0.62', carol: '127.0.0.63', dave: '127.0.0.64' };
    for (const [name, ip] of Object.entries(ips)) {
      subs[name] = (await acct.owner.post(`/accounts/${accountId}/subaccounts`, { name, sipUser: name, sipPassword: `${name}-Password-1` })).body;
      const phone = new DialogPhone({ ip, server: { host: edgeHost, port: Number(edgePort) }, incoming: name === 'dave' ? 'early-media' : 'answer', ringMs: name === 'dave' ? 600 : 100 });
      await phone.start();
      expect(await phone.register(name, realm, `${name}-Password-1`)).toBe(200);
      phones[name] = phone;
    }
  }, 60_000);
  afterAll(async () => {
    for (const p of Object.values(phones)) p.close();
    await plane?.stop();
  });

  const dial = (from: string, to: string, extra: string[] = []) => phones[from]!.call(subs[to]!.extension, from, realm, `${from}-Password-1`, extra);
  const cdrsOf = (subaccountId: string) => plane.db.selectFrom('cdrs').selectAll().where('subaccount_id', '=', subaccountId).execute();

  it('relays the called phone’s 183 Session Progress with its SDP to the caller before the 200', async () => {
    const call = await dial('alice', 'dave');
    const early = call.provisional.find((p) => status(p) === 183 && /m=audio/.test(p.body));
    expect(early, call.provisional.map((p) => p.start).join(', ')).toBeDefined();
    expect(header(early!, 'content-type')).toBe('application/sdp');
    expect(status(await phones.alice!.hangUp(call))).toBe(200);
  });

  it('answers a session-timer refresh mid-call, by re-INVITE and by UPDATE, and the call stays up', async () => {
    const timer = ['Supported: timer', 'Session-Expires: 1800;refresher=uac', 'Min-SE: 90'];
    const call = await dial('alice', 'bob', timer);
    // a refresh comes long after the answer; one within milliseconds of it can
    // reach the edge before the relay is attached, and drachtio-srf answers it itself
    await bridgedTo(subs.bob!.networkNumber);
    const reinvite = await phones.alice!.request(call, 'INVITE', ['Supported: timer', 'Session-Expires: 1800;refresher=uac'], phones.alice!.sdp(2));
    expect(status(reinvite)).toBe(200);
    expect(header(reinvite, 'session-expires')).toMatch(/^1800;refresher=uac/);
    expect(header(reinvite, 'require')).toMatch(/timer/);
    expect(reinvite.body).toMatch(/m=audio/);
    const update = await phones.alice!.request(call, 'UPDATE', ['Supported: timer', 'Session-Expires: 1800;refresher=uac']);
    expect(status(update)).toBe(200);
    expect(header(update, 'session-expires')).toMatch(/^1800/);
    // still connected end to end: the hang-up reaches bob
    const bobCall = phones.bob!.calls.at(-1)!;
    expect(status(await phones.alice!.hangUp(call))).toBe(200);
    await phones.bob!.received((m) => m.start.startsWith('BYE') && header(m, 'call-id') === bobCall.callId);
  });

  it('blind transfer: bob REFERs alice to carol; carol rings and talks to alice; the transferred call is a new CDR of bob’s', async () => {
    const call = await dial('alice', 'bob');
    const bobCall = phones.bob!.calls.at(-1)!;
    const carolInvites = phones.carol!.calls.length;
    const refer = await phones.bob!.request(bobCall, 'REFER', [`Refer-To: <sip:${subs.carol!.extension}@${realm}>`, `Referred-By: <sip:${subs.alice!.id}@callplane.invalid>`]);
    expect(status(refer)).toBe(202);
    const notify = await phones.bob!.received((m) => m.start.startsWith('NOTIFY') && header(m, 'call-id') === bobCall.callId);
    expect(notify.body).toMatch(/^SIP\/2\.0 200/);
    await phones.bob!.hangUp(bobCall);
    await until(async () => (phones.carol!.calls.length > carolInvites ? true : undefined));
    const carolCall = phones.carol!.calls.at(-1)!;
    await phones.carol!.received((m) => m.start.startsWith('ACK') && header(m, 'call-id') === carolCall.callId);
    await bridgedTo(subs.carol!.networkNumber);
    // alice, still on her first call, now talks to carol: her hang-up reaches carol
    expect(status(await phones.alice!.hangUp(call))).toBe(200);
    await phones.carol!.received((m) => m.start.startsWith('BYE') && header(m, 'call-id') === carolCall.callId);
    const transferred = await until(async () => (await cdrsOf(subs.bob!.id)).find((c) => c.dialed === subs.carol!.extension));
    expect(transferred).toMatchObject({ account_id: accountId, direction: 'outgoing', call_class: 'extension', callee: subs.carol!.networkNumber });
    expect(transferred.answered_at).not.toBeNull();
    // alice's own call is still hers (a device's forged Referred-By changed nothing)
    const original = await until(async () => (await cdrsOf(subs.alice!.id)).find((c) => c.dialed === subs.bob!.extension && c.call_uuid !== transferred.call_uuid && c.ended_at > transferred.started_at));
    expect(original.callee).toBe(subs.bob!.networkNumber);
  });

  it('attended transfer: bob calls carol, then REFERs alice with Replaces; alice and carol are joined', async () => {
    const first = await dial('alice', 'bob');
    const bobFirst = phones.bob!.calls.at(-1)!;
    const consult = await dial('bob', 'carol');
    const carolCall = phones.carol!.calls.at(-1)!;
    const replaces = encodeURIComponent(`${consult.callId};to-tag=${consult.remoteTag};from-tag=${consult.localTag}`);
    // carol's bridges before the transfer (the consultation call, and any a previous test left): the join is a new one
    const before = await bridgesTo(subs.carol!.networkNumber);
    const refer = await phones.bob!.request(bobFirst, 'REFER', [`Refer-To: <sip:${subs.carol!.extension}@${realm}?Replaces=${replaces}>`]);
    expect(status(refer)).toBe(202);
    // FreeSWITCH ends both of bob's calls
    await phones.bob!.received((m) => m.start.startsWith('BYE') && header(m, 'call-id') === consult.callId);
    await phones.bob!.received((m) => m.start.startsWith('BYE') && header(m, 'call-id') === bobFirst.callId);
    // carol was not rung again: alice, now bridged to carol's consultation call, hangs up and carol gets the BYE
    await until(async () => ((await bridgesTo(subs.carol!.networkNumber)).some((uuid) => !before.includes(uuid)) ? true : undefined));
    const carolCalls = phones.carol!.calls.length;
    expect(status(await phones.alice!.hangUp(first))).toBe(200);
    await phones.carol!.received((m) => m.start.startsWith('BYE') && header(m, 'call-id') === carolCall.callId);
    expect(phones.carol!.calls.length).toBe(carolCalls);
  });

  it('refuses a REFER whose Replaces names a call the edge does not know (481)', async () => {
    const call = await dial('alice', 'bob');
    const bobCall = phones.bob!.calls.at(-1)!;
    const refer = await phones.bob!.request(bobCall, 'REFER', [`Refer-To: <sip:${subs.carol!.extension}@${realm}?Replaces=nosuchcall%3Bto-tag%3Da%3Bfrom-tag%3Db>`]);
    expect(status(refer)).toBe(481);
    await phones.alice!.hangUp(call);
  });
});

/** The uuids of the calls FreeSWITCH shows bridged to a far leg that dialed `number`. */
async function bridgesTo(number: string): Promise<string[]> {
  const rows = (await fsApi('show bridged_calls')).split('\n').filter((row) => row.includes(`${number}@callplane.invalid`));
  return rows.map((row) => row.split(',')[0]!);
}

/** Resolves once FreeSWITCH shows a bridged call whose far leg dialed `number`. */
async function bridgedTo(number: string): Promise<void> {
  await until(async () => ((await fsApi('show bridged_calls')).includes(`${number}@callplane.invalid`) ? true : undefined));
}
