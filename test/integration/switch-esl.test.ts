// The FreeSWITCH controller tested against a faithful ESL peer built from
// recorded FreeSWITCH traffic (test/support/fake-freeswitch.ts replaying
// test/fixtures/esl/): real sockets, the real modesl client, a real database.
// The peer connects to the controller's outbound socket as FreeSWITCH does for
// each call, plays the channel (CHANNEL_DATA, command replies, CHANNEL_EXECUTE
// _COMPLETE with the controller's Event-UUID, hangups, disconnect notices) and
// records every application the controller runs; its inbound :8021 stand-in
// feeds recorded CHANNEL_HANGUP_COMPLETE events for CDRs.
// test/e2e/switch-calls.test.ts runs the same calls against a real FreeSWITCH.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Directory, type HuntGroup, type IvrMenu, type SubaccountEntry } from '../../server/routing/index.js';
import { CallCharging, DeckCache } from '../../server/charging/index.js';
import { REPORT_REALM, type Switch, externalDialString, huntLegDialString, reportingHook, startSwitch, subaccountDialString } from '../../server/switch/index.js';
import {
  type CallSetup,
  type FakeEventSocket,
  type Headers,
  fakeEventSocket,
  fakeOutboundCall,
  header,
  messageHeaders,
  recorded,
  recordedHangups,
  reportingHookRuns,
  withHeaders,
  withValues,
} from '../support/fake-freeswitch.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { plan } from '../unit/routing/sample-directory.js';
import { until } from '../support/until.js';

interface Sub {
  id: string;
  extension: string;
  networkNumber: string;
}

const DID = '+12125550100';
const EXTERNAL = '+12125550199';
const PASSCODE = '4321';
const HUNT_ID = randomUUID();
const OVERFLOW_ID = randomUUID();
const MENU_ID = randomUUID();
const TRUNK_ID = randomUUID();

let plane: TestPlane;
let controller: Switch;
let events: FakeEventSocket;
let accountId: string;
const subs: Record<'alice' | 'bob' | 'carol' | 'dave' | 'room', Sub> = {} as never;
const listen = { host: '127.0.0.1', port: 0 };
const problems: string[] = [];

beforeAll(async () => {
  plane = await startTestPlane();
  const acct = await customerAccount(plane, 'Switch ESL', plane.operator, { country: 'US' });
  accountId = acct.id;
  for (const name of ['alice', 'bob', 'carol', 'dave'] as const) {
    subs[name] = (await acct.owner.post(`/accounts/${accountId}/subaccounts`, { name })).body;
  }
  subs.room = (await acct.owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Board room', kind: 'conference', conferencePasscode: PASSCODE })).body;
  const directory = directoryFor(accountId);
  events = await fakeEventSocket();
  listen.port = await freePort();
  controller = await startSwitch({
    config: { listen, freeswitch: { host: '127.0.0.1', port: events.port, password: 'ClueCon' } },
    db: plane.db,
    box: plane.box,
    directory: async () => directory,
    log: { info: () => {}, warn: () => {}, error: (o, m) => problems.push(`${m} ${JSON.stringify(o)}`) },
    charging: new CallCharging({ db: plane.db, decks: new DeckCache({ db: plane.db }) }),
    trunks: { outboundFor: () => ({ id: TRUNK_ID }) },
  });
  await events.subscribed('CHANNEL_HANGUP_COMPLETE');
});

afterAll(async () => {
  await controller?.close();
  await events?.close();
  await plane?.stop();
});

afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

/** alice 101 calls; bob and carol answer phones; dave has a charging plan for the public network; room is a conference. */
function directoryFor(account: string): Directory {
  const entry = (s: Sub, name: string, more: Partial<SubaccountEntry> = {}): SubaccountEntry => ({
    id: s.id, accountId: account, kind: 'phone', name, extension: s.extension, networkNumber: s.networkNumber,
    callerIdName: null, callerIdNumber: null, chargingPlan: null, conference: null, ...more,
  });
  const sales: HuntGroup = {
    id: HUNT_ID, accountId: account, name: 'Sales', extension: '300', strategy: 'sequential',
    members: [{ kind: 'subaccount', id: subs.bob.id }], memberTimeoutSeconds: 20, totalTimeoutSeconds: 60, skipBusy: true,
    fallback: { kind: 'subaccount', id: subs.carol.id },
  };
  const reception: IvrMenu = {
    id: MENU_ID, accountId: account, name: 'Reception', greeting: 'reception-greeting', invalidPrompt: 'reception-invalid',
    timeoutPrompt: 'reception-timeout', timeoutSeconds: 5, maxRetries: 2, allowExtensionDialing: false,
    options: { '1': { kind: 'subaccount', id: subs.alice.id }, '2': { kind: 'subaccount', id: subs.bob.id } },
    fallback: { kind: 'subaccount', id: subs.carol.id },
  };
  return new Directory({
    accounts: [{ id: account, country: 'US', timezone: 'UTC', callerIdPrivacy: 'none', localPrefixes: ['+1212'] }],
    subaccounts: [
      entry(subs.alice, 'alice'),
      entry(subs.bob, 'bob'),
      entry(subs.carol, 'carol'),
      entry(subs.dave, 'dave', { chargingPlan: plan() }),
      entry(subs.room, 'Board room', { kind: 'conference', conference: { maxParticipants: 5, hasModeratorPin: false } }),
    ],
    numbers: [{ e164: DID, accountId: account, destination: { kind: 'ivr_menu', id: MENU_ID } }],
    huntGroups: [
      sales,
      {
        id: OVERFLOW_ID, accountId: account, name: 'Overflow', extension: '301', strategy: 'sequential',
        members: [{ kind: 'external', e164: EXTERNAL }, { kind: 'subaccount', id: subs.carol.id }],
        memberTimeoutSeconds: 20, totalTimeoutSeconds: 60, skipBusy: false, fallback: null,
      },
    ],
    ivrMenus: [reception],
    schedules: [],
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A call from a subaccount's phone, as the SIP edge hands it to FreeSWITCH. */
const from = (caller: 'alice' | 'dave', dialed: string, script: Partial<CallSetup> = {}): CallSetup => ({
  dialed,
  callplane: { Account: accountId, Subaccount: subs[caller].id },
  ...script,
});
/** A call from a carrier to the DID, as the SIP edge hands it to FreeSWITCH. */
const fromCarrier = (script: Partial<CallSetup> = {}): CallSetup => ({
  dialed: DID,
  callplane: { Trunk: TRUNK_ID, Did: DID },
  caller: { name: 'Carrier caller', number: '+12125550123' },
  ...script,
});

async function placed(setup: CallSetup) {
  const call = await fakeOutboundCall(listen, setup);
  await call.ended();
  return call;
}

const bridgeTo = (s: Sub): [string, string] => ['bridge', subaccountDialString(s.id, s.networkNumber)];
/** What the controller ran from the first `app` on. */
const startingAt = (executed: [string, string][], app: string) => executed.slice(executed.findIndex(([a]) => a === app));
const collect = (files: string, max: number, ms: number): [string, string] => [
  'play_and_get_digits',
  `1 ${max} 1 ${ms} # ${files} silence_stream://250 callplane_digits \\d+ 3000`,
];

// Each call is its own channel and socket, as on a real switch: they run side by side.
describe.concurrent('calls FreeSWITCH hands to the controller', () => {
  it('stamps an extension call for its CDR, shows the caller’s extension and bridges through the edge to the callee', async () => {
    const call = await placed(from('alice', subs.bob.extension));
    expect(call.commands.slice(0, 4)).toEqual(['connect', 'event json BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE', 'myevents', 'linger']);
    expect(call.executed).toEqual([
      ['set', 'callplane_call=true'],
      ['set', `callplane_account=${accountId}`],
      ['set', `callplane_subaccount=${subs.alice.id}`],
      ['set', 'callplane_direction=outgoing'],
      ['set', 'callplane_class=extension'],
      ['set', `callplane_dialed=${subs.bob.extension}`],
      ['set', 'callplane_trunk='],
      ['set', 'callplane_did='],
      ['set', 'hangup_after_bridge=true'],
      ['set', 'continue_on_fail=true'],
      ['set', 'effective_caller_id_name=alice'],
      ['set', `effective_caller_id_number=${subs.alice.extension}`],
      ['set', `callplane_callee=${subs.bob.networkNumber}`],
      ['set', 'call_timeout=30'],
      ['bridge', `[sip_h_X-Callplane-Subaccount=${subs.bob.id}]sofia/callplane/sip:${subs.bob.networkNumber}@callplane.invalid`],
    ]);
    expect(call.commands.at(-1)).toBe('exit');
  });

  it('sends FreeSWITCH the commands it sent the real one in the recorded extension call', async () => {
    const call = await placed(from('alice', subs.bob.extension));
    const { routedCall, bridgedLeg } = recordedHangups();
    const ours: Record<string, string> = {
      [header(routedCall, 'Unique-ID')!]: call.uuid,
      [header(routedCall, 'variable_callplane_account')!]: accountId,
      [header(routedCall, 'variable_callplane_subaccount')!]: subs.alice.id,
      [header(routedCall, 'variable_effective_caller_id_number')!]: subs.alice.extension,
      [header(routedCall, 'variable_callplane_dialed')!]: subs.bob.extension,
      [header(routedCall, 'variable_callplane_callee')!]: subs.bob.networkNumber,
      [header(bridgedLeg, 'variable_sip_h_X-Callplane-Subaccount')!]: subs.bob.id,
    };
    const repointed = (text: string) => text.replace(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\b\d+\b/g, (t) => (Object.hasOwn(ours, t) ? ours[t]! : t));
    // the recording predates the CDR report hook (one `api uuid_setvar`); everything else is as FreeSWITCH saw it
    const hook = `api uuid_setvar ${call.uuid} api_reporting_hook ${reportingHook()}`;
    const session = recorded('outbound-extension-call').fromController;
    const applications = session
      .filter((m) => m.lines[0]!.startsWith('sendmsg '))
      .map((m) => [header(messageHeaders(m), 'execute-app-name'), repointed(header(messageHeaders(m), 'execute-app-arg')!)]);
    expect(call.commands.filter((c) => c === hook)).toHaveLength(1);
    expect(call.commands.filter((c) => c !== hook)).toEqual(session.map((m) => repointed(m.lines[0]!)));
    expect(call.executed).toEqual(applications);
    expect(call.verbatim).toEqual([['api_reporting_hook', reportingHook()]]);
  });

  it('answers 480 when nobody answers the bridge', async () => {
    const call = await placed(from('alice', subs.bob.extension, { bridges: ['NO_ANSWER'] }));
    expect(startingAt(call.executed, 'bridge')).toEqual([bridgeTo(subs.bob), ['respond', '480']]);
  });

  it.each([
    { outcome: 'the fallback answers', bridges: ['NO_ANSWER', 'SUCCESS'], after: [] },
    { outcome: 'nobody answers: 480', bridges: ['NO_ANSWER', 'NO_ANSWER'], after: [['respond', '480']] },
  ])('passes a hunt nobody answers to the group’s fallback — $outcome', async ({ bridges, after }) => {
    const call = await placed(from('alice', '300', { bridges }));
    expect(call.executed).toContainEqual(['set', `callplane_hunt_group=${HUNT_ID}`]);
    expect(startingAt(call.executed, 'bridge')).toEqual([
      bridgeTo(subs.bob),
      ['set', `callplane_callee=${subs.carol.networkNumber}`],
      ['set', 'call_timeout=30'],
      bridgeTo(subs.carol),
      ...after,
    ]);
  });

  it('refuses a call without the edge’s X-Callplane headers with 403, touching nothing else', async () => {
    const call = await placed({ dialed: subs.bob.extension, callplane: {} });
    expect(call.executed).toEqual([['respond', '403']]);
  });

  it('answers a number routing rejects with routing’s status, as in the recorded call to 999', async () => {
    const call = await placed(from('alice', '999'));
    const sent = recorded('outbound-rejected-call').fromController.find((m) => m.lines[0]!.startsWith('sendmsg'))!.lines;
    expect(sent).toEqual(expect.arrayContaining(['execute-app-name: respond', 'execute-app-arg: 404']));
    expect(call.executed).toEqual([['respond', '404']]);
  });

  it('refuses an external number with 403 when no charging plan rates it, never bridging out', async () => {
    const call = await placed(from('dave', EXTERNAL));
    expect(call.executed[0]).toEqual(['set', 'callplane_call=true']);
    expect(call.executed.map(([app]) => app)).not.toContain('bridge');
    expect(call.executed.at(-1)).toEqual(['respond', '403']);
  });

  it('bridges the subaccount behind the IVR option the caller pressed', async () => {
    const call = await placed(fromCarrier({ digits: ['2'] }));
    expect(call.executed).toEqual(
      expect.arrayContaining([['set', 'callplane_direction=incoming'], ['set', `callplane_trunk=${TRUNK_ID}`], ['set', `callplane_did=${DID}`]]),
    );
    expect(startingAt(call.executed, 'answer')).toEqual([
      ['answer', ''],
      ['set', `callplane_ivr_menu=${MENU_ID}`],
      ['set', 'playback_delimiter=!'],
      collect('reception-greeting.wav', 1, 5000),
      ['set', `callplane_callee=${subs.bob.networkNumber}`],
      ['set', 'call_timeout=30'],
      bridgeTo(subs.bob),
    ]);
  });

  it('sends an IVR caller who presses nothing to the menu’s fallback after the retries', async () => {
    const call = await placed(fromCarrier({ digits: [] }));
    const plays = call.executed.filter(([app]) => app === 'play_and_get_digits');
    expect(plays).toEqual([
      collect('reception-greeting.wav', 1, 5000),
      collect('reception-timeout.wav!reception-greeting.wav', 1, 5000),
      collect('reception-timeout.wav!reception-greeting.wav', 1, 5000),
    ]);
    expect(call.executed.at(-1)).toEqual(bridgeTo(subs.carol));
  });

  it('lets a caller into the conference on the second passcode, capped at its size', async () => {
    const call = await fakeOutboundCall(listen, from('alice', subs.room.extension, { digits: ['1111', PASSCODE] }));
    await call.executing('conference');
    expect(startingAt(call.executed, 'answer')).toEqual([
      ['answer', ''],
      ['set', 'playback_delimiter=!'],
      collect('conference-passcode.wav', 10, 8000),
      ['playback', 'conference-bad-passcode.wav'],
      ['set', 'playback_delimiter=!'],
      collect('conference-passcode.wav', 10, 8000),
      ['set', `callplane_conference=${subs.room.id}`],
      ['set', 'conference_max_members=5'],
      ['conference', `room-${subs.room.id}@callplane`],
    ]);
    call.hangup();
    await call.ended();
  });

  it('lets the moderator in with the moderator PIN, flagged as moderator', async () => {
    const set = await plane.operator.patch(`/accounts/${accountId}/subaccounts/${subs.room.id}`, { moderatorPin: '9876' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const call = await fakeOutboundCall(listen, from('alice', subs.room.extension, { digits: ['9876'] }));
    await call.executing('conference');
    expect(call.executed.at(-1)).toEqual(['conference', `room-${subs.room.id}@callplane+flags{moderator}`]);
    call.hangup();
    await call.ended();
  });

  it('refuses a caller who gets the conference passcode wrong three times', async () => {
    const call = await placed(from('alice', subs.room.extension, { digits: ['1111', '2222', '3333'] }));
    expect(call.executed.map(([app]) => app)).not.toContain('conference');
    expect(call.executed.filter(([app]) => app === 'playback')).toEqual(Array(3).fill(['playback', 'conference-bad-passcode.wav']));
    expect([['hangup', 'CALL_REJECTED'], ['respond', '403']]).toContainEqual(call.executed.at(-1));
  });

  // steps.ts respond() asks leg.variable('answer_epoch'), which reads the CHANNEL_DATA FreeSWITCH sent on
  // connect — before the IVR or conference answered — so an answered call gets a `respond` mod_sofia can no
  // longer send, and the dialplan's NORMAL_TEMPORARY_FAILURE hangup ends it instead. Remove `.fails` with the fix.
  it('hangs up an answered call it refuses with CALL_REJECTED instead of sending a SIP response', async () => {
    const call = await placed(from('alice', subs.room.extension, { digits: ['1111', '2222', '3333'] }));
    expect(call.executed.at(-1)).toEqual(['hangup', 'CALL_REJECTED']);
  });

  it('stops cleanly when the caller hangs up mid-bridge: no further application, then exit', async () => {
    const call = await fakeOutboundCall(listen, from('alice', '300', { bridges: ['RINGING'] }));
    await call.executing('bridge');
    call.hangup('ORIGINATOR_CANCEL');
    await call.ended();
    expect(call.executed.at(-1)).toEqual(bridgeTo(subs.bob));
    expect(call.commands.at(-1)).toBe('exit');
  });
});

describe('calls to the public network: authorized, cut at the limit, charged once', () => {
  /** dave's prepaid plan: local calls at 1 cent a minute in 60 s blocks, nothing given up front */
  beforeAll(async () => {
    const plan = await plane.operator.post(`/accounts/${accountId}/charging-plans`, {
      name: 'Prepaid local', billing: 'prepaid', currency: 'USD',
      allow: { incoming: true, publicNetwork: true, extensions: true, networkNumbers: true, classes: { local: true, national: false, mobile: false, international: false, toll_free: true, premium: false } },
      segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 },
      prices: {
        local: { kind: 'fixed', perMinuteMicros: 10_000 }, national: { kind: 'fixed', perMinuteMicros: 0 }, mobile: { kind: 'fixed', perMinuteMicros: 0 },
        international: { kind: 'relative', markupBasisPoints: 0 }, toll_free: { kind: 'fixed', perMinuteMicros: 0 }, premium: { kind: 'relative', markupBasisPoints: 0 },
      },
    });
    expect(plan.status).toBe(201);
    expect((await plane.operator.put(`/accounts/${accountId}/subaccounts/${subs.dave.id}/charging-plan`, { chargingPlanId: plan.body.id })).status).toBe(200);
  });

  it('refuses with 402 when the balance does not cover the first minute', async () => {
    const call = await placed(from('dave', EXTERNAL));
    expect(call.executed.map(([app]) => app)).not.toContain('bridge');
    expect(call.executed.at(-1)).toEqual(['respond', '402']);
  });

  it('bridges to the carrier trunk with a hangup scheduled when the 5 cents run out, and charges the hangup once', async () => {
    const topup = await plane.operator.post(`/accounts/${accountId}/ledger`, { kind: 'topup', amountMinor: 5, currency: 'USD' });
    expect(topup.status).toBe(201);
    const uuid = randomUUID();
    const call = await placed(from('dave', EXTERNAL, { uuid }));
    expect(call.executed).toEqual(expect.arrayContaining([['set', 'callplane_external=true'], ['set', `callplane_callee=${EXTERNAL}`]]));
    // 5 cents buy five 60-second blocks: the call is cut at 300 s
    expect(call.executed.at(-1)).toEqual(['bridge', externalDialString(EXTERNAL, TRUNK_ID, accountId, 300)]);
    expect((await plane.operator.get(`/accounts/${accountId}/balance`)).body).toMatchObject({ balanceMinor: 5, heldMinor: 5, availableMinor: 0 });

    // FreeSWITCH reports the call: bridged to the carrier 130.5 s before it ended → 3 blocks, 3 cents
    const { routedCall } = recordedHangups();
    const ended = 1795433334617000;
    const hangup = withHeaders(withValues(routedCall, { [header(routedCall, 'Unique-ID')!]: uuid, [header(routedCall, 'variable_callplane_account')!]: accountId }), {
      variable_callplane_subaccount: subs.dave.id,
      variable_callplane_class: 'local',
      variable_callplane_external: 'true',
      variable_callplane_callee: EXTERNAL,
      variable_bridge_uepoch: String(ended - 130_500_000),
      variable_end_uepoch: String(ended),
    });
    for (let i = 0; i < 2; i++) expect(events.push(hangup)).toBe(1);
    const balance = await until(async () => {
      const b = (await plane.operator.get(`/accounts/${accountId}/balance`)).body;
      return b.heldMinor === 0 ? b : undefined;
    });
    expect(balance).toMatchObject({ balanceMinor: 2, heldMinor: 0, availableMinor: 2 });
    const charges = await plane.db.selectFrom('ledger_entries').selectAll().where('call_uuid', '=', uuid).execute();
    expect(charges.map((c) => c.amount_minor)).toEqual([-3]);
    const [cdr] = await plane.db.selectFrom('cdrs').selectAll().where('call_uuid', '=', uuid).execute();
    expect(cdr).toMatchObject({ call_class: 'local', callee: EXTERNAL, billable_seconds: 130, answered_at: new Date((ended - 130_500_000) / 1000) });
  });
});

describe('a hunt group’s member on the public network', () => {
  const legOf = (bridgeArg: string) => /^\[origination_uuid=([0-9a-f-]{36}),/.exec(bridgeArg)?.[1];

  beforeAll(async () => {
    // the account's default plan pays for the group's carrier legs: local calls at 1 cent a minute
    const plan = await plane.operator.post(`/accounts/${accountId}/charging-plans`, {
      name: 'Account default', billing: 'prepaid', currency: 'USD', isDefault: true,
      allow: { incoming: true, publicNetwork: true, extensions: true, networkNumbers: true, classes: { local: true, national: false, mobile: false, international: false, toll_free: false, premium: false } },
      segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 },
      prices: {
        local: { kind: 'fixed', perMinuteMicros: 10_000 }, national: { kind: 'fixed', perMinuteMicros: 0 }, mobile: { kind: 'fixed', perMinuteMicros: 0 },
        international: { kind: 'relative', markupBasisPoints: 0 }, toll_free: { kind: 'fixed', perMinuteMicros: 0 }, premium: { kind: 'relative', markupBasisPoints: 0 },
      },
    });
    expect(plan.status).toBe(201);
  });

  it('rings the member as a leg of its own, authorized by the group’s account, and gives the authorization back when it does not answer', async () => {
    const balance = (await plane.operator.get(`/accounts/${accountId}/balance`)).body;
    const call = await placed(from('alice', '301', { bridges: ['NO_ANSWER', 'SUCCESS'] }));
    const bridges = call.executed.filter(([app]) => app === 'bridge').map(([, arg]) => arg);
    const leg = legOf(bridges[0]!)!;
    const covered = balance.availableMinor * 60; // 1 cent a minute in 60 s blocks
    expect(bridges).toEqual([
      huntLegDialString({ e164: EXTERNAL, class: 'local' }, { uuid: leg, callerUuid: call.uuid, trunkId: TRUNK_ID, accountId, maxSeconds: covered }),
      subaccountDialString(subs.carol.id, subs.carol.networkNumber),
    ]);
    const [reservation] = await plane.db.selectFrom('call_reservations').selectAll().where('call_uuid', '=', leg).execute();
    expect(reservation).toMatchObject({ account_id: accountId, subaccount_id: null, max_seconds: covered, released_at: expect.any(Date) });
    expect((await plane.operator.get(`/accounts/${accountId}/balance`)).body.heldMinor).toBe(0);
  });

  it('charges the call once from its CDR as the leg that answered, and releases that leg’s authorization', async () => {
    const leg = randomUUID();
    const uuid = randomUUID();
    const before = (await plane.operator.get(`/accounts/${accountId}/balance`)).body.balanceMinor as number;
    const answer = await plane.features.callCharging.authorize(
      { callUuid: leg, accountId, subaccountId: null, class: 'local', direction: 'outgoing', dialedDigits: EXTERNAL.slice(1) },
      new Date(),
    );
    expect(answer.allowed).toBe(true);
    const { routedCall } = recordedHangups();
    const ended = 1795433334617000;
    const hangup = withHeaders(withValues(routedCall, { [header(routedCall, 'Unique-ID')!]: uuid, [header(routedCall, 'variable_callplane_account')!]: accountId }), {
      variable_callplane_class: 'local',
      variable_callplane_external: 'true',
      variable_callplane_subaccount: subs.alice.id,
      variable_callplane_charged_leg: leg,
      variable_callplane_callee: EXTERNAL,
      variable_bridge_uepoch: String(ended - 30_000_000),
      variable_end_uepoch: String(ended),
    });
    expect(events.push(hangup)).toBe(1);
    await until(async () => ((await plane.db.selectFrom('ledger_entries').select('id').where('call_uuid', '=', uuid).execute()).length ? true : undefined));
    const charges = await plane.db.selectFrom('ledger_entries').select('amount_minor').where('call_uuid', '=', uuid).execute();
    expect(charges).toEqual([{ amount_minor: -1 }]);
    const [reservation] = await plane.db.selectFrom('call_reservations').selectAll().where('call_uuid', '=', leg).execute();
    expect(reservation!.released_at).not.toBeNull();
    expect((await plane.operator.get(`/accounts/${accountId}/balance`)).body).toMatchObject({ balanceMinor: before - 1, heldMinor: 0 });
  });
});

describe('CDRs from FreeSWITCH’s CHANNEL_HANGUP_COMPLETE', () => {
  const { routedCall, bridgedLeg, rejectedCall } = recordedHangups();

  /** A recorded hangup re-pointed at this test's account, alice, and a new call uuid. */
  const hangupOf = (event: Headers, uuid: string): Headers =>
    withValues(event, {
      [header(event, 'Unique-ID')!]: uuid,
      [header(routedCall, 'variable_callplane_account')!]: accountId,
      [header(routedCall, 'variable_callplane_subaccount')!]: subs.alice.id,
    });
  const cdrsOf = (uuids: string[]) => plane.db.selectFrom('cdrs').selectAll().where('call_uuid', 'in', uuids).execute();

  /** Waits until an event pushed now was written: every event pushed before it has been handled. */
  async function handled(): Promise<void> {
    const marker = randomUUID();
    expect(events.push(hangupOf(routedCall, marker))).toBe(1);
    await until(async () => ((await cdrsOf([marker])).length ? true : undefined));
  }

  it('writes one CDR with FreeSWITCH’s times and cause however often the event arrives', async () => {
    const uuid = randomUUID();
    for (let i = 0; i < 3; i++) expect(events.push(hangupOf(routedCall, uuid))).toBe(1);
    await handled();
    expect(await cdrsOf([uuid])).toEqual([
      expect.objectContaining({
        call_uuid: uuid,
        account_id: accountId,
        subaccount_id: subs.alice.id,
        direction: 'outgoing',
        call_class: 'extension',
        caller_name: 'Desk',
        caller_number: 'alice',
        dialed: '102',
        callee: '10000002',
        started_at: new Date(1795433332737),
        answered_at: new Date(1795433334297),
        ended_at: new Date(1795433334617),
        billable_seconds: 0,
        hangup_cause: 'NORMAL_CLEARING',
        trunk_id: null,
        did: null,
      }),
    ]);
  });

  it('writes nothing for a channel the controller did not route and stamp', async () => {
    const unstamped = [bridgedLeg, rejectedCall, withHeaders(routedCall, { variable_callplane_call: undefined })];
    const pushed = unstamped.map((event) => hangupOf(event, randomUUID()));
    for (const event of pushed) expect(events.push(event)).toBe(1);
    const uuids = pushed.map((event) => header(event, 'Unique-ID')!);
    await handled();
    expect(await cdrsOf(uuids)).toEqual([]);
  });

  it('recovers the CDR of a call that ended while the controller was away, from what its report hook left in FreeSWITCH’s memory', async () => {
    // a routed call stamped with the hook; it ends while nobody listens to FreeSWITCH's events
    const call = await placed(from('alice', subs.bob.extension));
    const [[, hook]] = call.verbatim.filter(([name]) => name === 'api_reporting_hook') as [[string, string]];
    const { port, hash } = events;
    await events.close();
    const hangup = withHeaders(hangupOf(routedCall, call.uuid), { 'Caller-Caller-ID-Name': 'Desk & Co / 2nd floor' });
    reportingHookRuns(hook, hangup, hash);
    expect([...hash.keys()]).toEqual([`${REPORT_REALM}_${call.uuid}`]);
    // another deployment's call on the same FreeSWITCH: an account this database does not know
    const stranger = randomUUID();
    reportingHookRuns(hook, withHeaders(hangupOf(routedCall, stranger), { variable_callplane_account: randomUUID() }), hash);
    // FreeSWITCH comes back with its database; the controller reconnects, records the CDR and deletes the entry
    events = await fakeEventSocket(port, 'ClueCon', hash);
    await until(async () => ((await cdrsOf([call.uuid])).length ? true : undefined));
    expect(await cdrsOf([call.uuid])).toEqual([
      expect.objectContaining({
        account_id: accountId,
        subaccount_id: subs.alice.id,
        call_class: 'extension',
        caller_name: 'Desk & Co / 2nd floor',
        dialed: '102',
        callee: '10000002',
        started_at: new Date(1795433332737),
        answered_at: new Date(1795433334297),
        ended_at: new Date(1795433334617),
        hangup_cause: 'NORMAL_CLEARING',
      }),
    ]);
    await until(async () => (hash.size === 0 ? true : undefined));
    expect(await cdrsOf([stranger])).toEqual([]);
    expect(events.apis).toEqual([`hash_dump db ${REPORT_REALM}`, `hash delete/${REPORT_REALM}/${call.uuid}`, `hash delete/${REPORT_REALM}/${stranger}`]);
  });

  it('deletes a call’s report in FreeSWITCH once its hangup event was recorded', async () => {
    const uuid = randomUUID();
    events.hash.set(`${REPORT_REALM}_${uuid}`, 'left by the hook');
    expect(events.push(hangupOf(routedCall, uuid))).toBe(1);
    await until(async () => (events.hash.has(`${REPORT_REALM}_${uuid}`) ? undefined : true));
    expect(await cdrsOf([uuid])).toHaveLength(1);
  });

  it('reconnects after FreeSWITCH’s event socket goes away and comes back on the same port', async () => {
    const { port } = events;
    await events.close();
    events = await fakeEventSocket(port);
    await events.subscribed('CHANNEL_HANGUP_COMPLETE'); // the controller's first retry comes after 1 s
    const uuid = randomUUID();
    expect(events.push(hangupOf(routedCall, uuid))).toBe(1);
    await until(async () => ((await cdrsOf([uuid])).length ? true : undefined));
  });
});
