// Prepaid calls to the public network through the whole chain with a REAL
// FreeSWITCH: a SIPp desk phone → drachtio-server → SIP edge → FreeSWITCH →
// the controller, which asks charging to authorize the call, then bridges
// back through the edge to the operator's carrier trunk (a SIPp UAS standing
// in for the carrier). FreeSWITCH hangs up when the balance runs out; the
// CDR from CHANNEL_HANGUP_COMPLETE is charged once. Runs when DRACHTIO_HOST
// and FREESWITCH_ESL_HOST are set (see switch-calls.test.ts).
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { auth, csv, listening, sipp } from './support/sipp.js';
import { until } from '../support/until.js';
import { switchPlaneEnv } from './support/switch-plane.js';

const drachtio = process.env.DRACHTIO_HOST;
const freeswitch = process.env.FREESWITCH_ESL_HOST;

const CARRIER = { host: '127.0.0.51', port: 5090 };
const DEVICE = '127.0.0.50';
/** a New York number: a national call for a US account */
const DIALED = '+12125550147';
const FREE = { kind: 'fixed', perMinuteMicros: 0 };
/** 1 cent a second, billed by the second: 3 cents buy a 3-second call */
const CENT_A_SECOND = { kind: 'fixed', perMinuteMicros: 600_000 };
const PLAN = {
  name: 'Prepaid by the second', billing: 'prepaid', currency: 'USD',
  allow: { incoming: true, publicNetwork: true, extensions: true, networkNumbers: true, classes: { local: true, national: true, mobile: true, international: false, toll_free: true, premium: false } },
  segments: { minimumSeconds: 0, firstIncrementSeconds: 1, nextIncrementSeconds: 1 },
  prices: { local: CENT_A_SECOND, national: CENT_A_SECOND, mobile: CENT_A_SECOND, international: { kind: 'relative', markupBasisPoints: 0 }, toll_free: FREE, premium: { kind: 'relative', markupBasisPoints: 0 } },
};

describe.skipIf(!drachtio || !freeswitch)('prepaid calls to a carrier through FreeSWITCH', () => {
  let plane: TestPlane;
  let realm: string;
  let accountId: string;
  let owner: Http;
  const caller = () => csv([['alice', realm, auth('alice', 'alice-Password-1')]]);

  beforeAll(async () => {
    plane = await startTestPlane(switchPlaneEnv(drachtio!, freeswitch!));
    await plane.sip!.connected;
    const acct = await customerAccount(plane, 'E2E Charging', plane.operator, { country: 'US' });
    ({ realm, owner } = acct);
    accountId = acct.id;
    const alice = await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'alice', sipUser: 'alice', sipPassword: 'alice-Password-1' });
    const trunk = await plane.operator.post('/trunks', { name: 'E2E carrier out', outbound: { host: CARRIER.host, port: CARRIER.port } });
    expect(trunk.status, JSON.stringify(trunk.body)).toBe(201);
    await plane.sip!.trunks.refresh();
    const plan = await plane.operator.post(`/accounts/${accountId}/charging-plans`, PLAN);
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const assigned = await plane.operator.put(`/accounts/${accountId}/subaccounts/${alice.body.id}/charging-plan`, { chargingPlanId: plan.body.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await plane?.stop();
  });

  it('refuses a call the balance does not cover with 402, and the carrier never hears of it', async () => {
    const carrier = dgram.createSocket('udp4');
    const heard: string[] = [];
    carrier.on('message', (m) => heard.push(m.toString()));
    await new Promise<void>((resolve) => carrier.bind(CARRIER.port, CARRIER.host, resolve));
    try {
      const run = await sipp({ scenario: 'device-invite-refused-402.xml', inf: caller(), source: DEVICE, keys: { dialed: DIALED } });
      expect(run.code, run.errors).toBe(0);
      // the refused call's CDR is the proof FreeSWITCH is done with it; nothing was bridged meanwhile
      const cdr = await until(async () => plane.db.selectFrom('cdrs').selectAll().where('account_id', '=', accountId).executeTakeFirst());
      expect(cdr).toMatchObject({ call_class: 'national', answered_at: null, billable_seconds: 0 });
      expect(heard).toEqual([]);
    } finally {
      carrier.close();
    }
    const charges = await owner.get(`/accounts/${accountId}/ledger?kind=call_charge`);
    expect(charges.body.items).toEqual([]);
  });

  it('lets a 3-cent balance call for 3 s: the carrier answers and gets a BYE when the money runs out; one CDR, one charge', async () => {
    const topup = await plane.operator.post(`/accounts/${accountId}/ledger`, { kind: 'topup', amountMinor: 3, currency: 'USD' });
    expect(topup.status, JSON.stringify(topup.body)).toBe(201);
    const carrier = sipp({ scenario: 'carrier-answer.xml', source: CARRIER.host, port: CARRIER.port, timeoutSeconds: 20 });
    await listening(CARRIER.host, CARRIER.port);
    const device = sipp({ scenario: 'device-invite-hung-up.xml', inf: caller(), source: DEVICE, keys: { dialed: DIALED } });
    // while the call runs, the whole balance is held for it: 3 cents, 3 seconds
    const during = await until(async () => {
      const b = (await owner.get(`/accounts/${accountId}/balance`)).body;
      return b.heldMinor > 0 ? b : undefined;
    });
    expect(during).toMatchObject({ balanceMinor: 3, heldMinor: 3, availableMinor: 0 });
    const [far, phone] = await Promise.all([carrier, device]);
    expect(far.code, far.errors).toBe(0);
    expect(phone.code, phone.errors).toBe(0);
    // the carrier was asked for the dialed number, by the edge (FreeSWITCH's X-Callplane-* headers stay inside)
    expect(far.messages).toMatch(new RegExp(`INVITE sip:\\${DIALED}@${CARRIER.host}:${CARRIER.port}`));
    // FreeSWITCH's scheduler counts whole seconds: sched_hangup +3 fires in the third second after the answer
    const talked = talkSeconds(far.messages);
    expect(talked).toBeGreaterThan(2);
    expect(talked).toBeLessThan(3 + 1);

    const cdr = await until(async () => plane.db.selectFrom('cdrs').selectAll().where('account_id', '=', accountId).where('answered_at', 'is not', null).executeTakeFirst());
    expect(cdr).toMatchObject({ direction: 'outgoing', call_class: 'national', callee: DIALED, dialed: DIALED, hangup_cause: 'ALLOTTED_TIMEOUT' });
    expect([2, 3]).toContain(cdr.billable_seconds);
    const balance = await until(async () => {
      const b = (await owner.get(`/accounts/${accountId}/balance`)).body;
      return b.heldMinor === 0 ? b : undefined;
    });
    const charges = (await owner.get(`/accounts/${accountId}/ledger?kind=call_charge`)).body.items as { amountMinor: number }[];
    // one charge, a cent per second billed, never more than the 3 cents held
    expect(charges.map((c) => c.amountMinor)).toEqual([-cdr.billable_seconds]);
    expect(balance).toMatchObject({ balanceMinor: 3 - cdr.billable_seconds, heldMinor: 0, availableMinor: 3 - cdr.billable_seconds });
  }, 40_000);
});

/** Seconds between the carrier's 200 OK to the INVITE and the BYE it received, from SIPp's message log. */
function talkSeconds(log: string): number {
  const stamped = [...log.matchAll(/-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\n(?:UDP|TCP) message (sent|received)[^\n]*\n\n([^\n]*)/g)];
  const at = (m: RegExpMatchArray) => Date.parse(`${m[1]!.replace(' ', 'T').slice(0, 23)}Z`);
  const ok = stamped.find((m) => m[2] === 'sent' && m[3]!.startsWith('SIP/2.0 200'));
  const bye = stamped.find((m) => m[2] === 'received' && m[3]!.startsWith('BYE '));
  if (!ok || !bye) throw new Error(`no 200/BYE in the carrier's log:\n${log}`);
  return (at(bye) - at(ok)) / 1000;
}
