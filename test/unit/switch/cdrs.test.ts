// cdrFromHangup over the CHANNEL_HANGUP_COMPLETE events a real FreeSWITCH sent
// for the recorded calls (test/fixtures/esl/inbound-hangup-events.esl): only
// the A-leg the controller routed and stamped is a CDR; FreeSWITCH's
// microsecond times become Dates; missing or malformed variables either fall
// back to FreeSWITCH's own headers or make the event no CDR at all.
import { describe, expect, it } from 'vitest';
import { cdrFromHangup, cdrFromReport, reportingHook, reportsInDump } from '../../../server/switch/index.js';
import { type Headers, recordedHangups, withHeaders } from '../../support/fake-freeswitch.js';

const { routedCall, bridgedLeg, rejectedCall } = recordedHangups();

/** How modesl hands the event over: by exact name, a repeated header's last value. */
const headersOf = (event: Headers) => (name: string) => [...event].reverse().find(([n]) => n === name)?.[1];
const cdrOf = (event: Headers) => cdrFromHangup(headersOf(event));
const changed = (changes: Record<string, string | undefined>) => cdrOf(withHeaders(routedCall, changes));

const OTHER_UUID = '5f0c2a8e-3b1d-4c6e-9a7f-0d2e4b6c8a1e';

describe('cdrFromHangup', () => {
  it('makes the routed A-leg a CDR: who called, what was dialed, who answered, FreeSWITCH times in ms', () => {
    expect(cdrOf(routedCall)).toEqual({
      call_uuid: 'a7ac7940-c3ca-4d6c-a8f3-bcea0cfe7450',
      account_id: '89dce057-d88d-4242-93d6-7b6109ac7903',
      subaccount_id: '2048f0d1-9550-48aa-bfcd-3c795cb8244a',
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
      hunt_group_id: null,
      ivr_menu_id: null,
      conference_subaccount_id: null,
      trunk_id: null,
      did: null,
      charged_leg_uuid: null,
    });
  });

  it.each([
    ['the bridged B-leg, which carries no callplane_* variables', bridgedLeg],
    ['a call routing refused before the controller stamped it', rejectedCall],
  ])('makes no CDR of %s', (_, event) => {
    expect(cdrOf(event)).toBeUndefined();
  });

  it.each<[string, Record<string, string | undefined>]>([
    ['callplane_call is missing', { variable_callplane_call: undefined }],
    ['callplane_call is not "true"', { variable_callplane_call: 'false' }],
    ['the Unique-ID is missing', { 'Unique-ID': undefined }],
    ['the Unique-ID is not a uuid', { 'Unique-ID': 'a7ac7940' }],
    ['callplane_account is missing', { variable_callplane_account: undefined }],
    ['callplane_account is not a uuid', { variable_callplane_account: 'acme' }],
    ['no start time is known', { variable_start_uepoch: undefined, 'Caller-Channel-Created-Time': undefined }],
    ['the start time is 0 ("never")', { variable_start_uepoch: '0', 'Caller-Channel-Created-Time': '0' }],
    ['no end time is known', { variable_end_uepoch: undefined, 'Event-Date-Timestamp': undefined }],
    ['the end time is not a number', { variable_end_uepoch: 'soon', 'Event-Date-Timestamp': 'soon' }],
  ])('makes no CDR when %s', (_, changes) => {
    expect(changed(changes)).toBeUndefined();
  });

  it.each<[string, Record<string, string | undefined>, Record<string, unknown>]>([
    [
      'takes the start from Caller-Channel-Created-Time without start_uepoch',
      { variable_start_uepoch: undefined, 'Caller-Channel-Created-Time': '1795433332000999' },
      { started_at: new Date(1795433332000) },
    ],
    [
      'takes the end from Event-Date-Timestamp without end_uepoch',
      { variable_end_uepoch: undefined, 'Event-Date-Timestamp': '1795433399999999' },
      { ended_at: new Date(1795433399999) },
    ],
    ['leaves an unanswered call without an answer time', { variable_answer_uepoch: '0' }, { answered_at: null }],
    ['counts billsec', { variable_billsec: '42' }, { billable_seconds: 42 }],
    ['counts a malformed billsec as 0', { variable_billsec: 'abc' }, { billable_seconds: 0 }],
    ['never counts negative seconds', { variable_billsec: '-5' }, { billable_seconds: 0 }],
    ['leaves out a subaccount that is not a uuid (a call from a trunk)', { variable_callplane_subaccount: '' }, { subaccount_id: null }],
    ['reads an incoming call', { variable_callplane_direction: 'incoming' }, { direction: 'incoming' }],
    ['reads any other direction as outgoing', { variable_callplane_direction: 'sideways' }, { direction: 'outgoing' }],
    ['calls a call without a class unknown', { variable_callplane_class: undefined }, { call_class: 'unknown' }],
    ['takes the dialed number from the channel without callplane_dialed', { variable_callplane_dialed: undefined }, { dialed: '102' }],
    ['has no callee without callplane_callee', { variable_callplane_callee: undefined }, { callee: '' }],
    ['takes the cause from hangup_cause without Hangup-Cause', { 'Hangup-Cause': undefined, variable_hangup_cause: 'USER_BUSY' }, { hangup_cause: 'USER_BUSY' }],
    ['calls a cause nobody gave UNKNOWN', { 'Hangup-Cause': undefined, variable_hangup_cause: undefined }, { hangup_cause: 'UNKNOWN' }],
    [
      'keeps the hunt group, IVR menu, conference and trunk ids that are uuids',
      {
        variable_callplane_hunt_group: OTHER_UUID,
        variable_callplane_ivr_menu: OTHER_UUID,
        variable_callplane_conference: OTHER_UUID,
        variable_callplane_trunk: OTHER_UUID,
        variable_callplane_did: '+14155550100',
      },
      { hunt_group_id: OTHER_UUID, ivr_menu_id: OTHER_UUID, conference_subaccount_id: OTHER_UUID, trunk_id: OTHER_UUID, did: '+14155550100' },
    ],
    [
      'drops ids that are not uuids',
      { variable_callplane_hunt_group: 'sales', variable_callplane_ivr_menu: '1', variable_callplane_conference: 'x', variable_callplane_trunk: 'carrier' },
      { hunt_group_id: null, ivr_menu_id: null, conference_subaccount_id: null, trunk_id: null },
    ],
  ])('%s', (_, changes, expected) => {
    expect(changed(changes)).toMatchObject(expected);
  });
});

describe('reports left in FreeSWITCH at hang-up (recovered after a controller restart)', () => {
  // shaped as a real FreeSWITCH 1.10 answered `hash_dump db callplane_cdr` after a loopback call hung up
  const uuid = 'f90f60b8-c2fc-4065-9baf-52ebb9d5c48c';
  const report = [
    `Unique-ID=${uuid}`, 'Hangup-Cause=NORMAL_CLEARING', 'Caller-Caller-ID-Name=Desk%20%26%20Co%20%2F%202nd%20floor', 'Caller-Caller-ID-Number=alice',
    'Caller-Destination-Number=101', 'variable_start_uepoch=1795442781992038', 'variable_answer_uepoch=1795442781992038', 'variable_bridge_uepoch=0',
    'variable_end_uepoch=1795442783292031', 'variable_billsec=2', 'variable_callplane_call=true',
    'variable_callplane_account=11111111-2222-3333-4444-555555555555', 'variable_callplane_subaccount=22222222-2222-3333-4444-555555555555',
    'variable_callplane_direction=', 'variable_callplane_class=local', 'variable_callplane_dialed=101', 'variable_callplane_callee=%2B12125550199',
    'variable_callplane_external=', 'variable_callplane_charged_leg=', 'variable_callplane_hunt_group=', 'variable_callplane_ivr_menu=',
    'variable_callplane_conference=', 'variable_callplane_trunk=', 'variable_callplane_did=',
  ].join('&');

  it('reads each entry of a dump, skipping lines that are not callplane reports', () => {
    const dump = `D/other_realm_x/y\nD/callplane_cdr_${uuid}/${report}\nD/callplane_cdr_not-a-uuid/z\n`;
    expect(reportsInDump(dump)).toEqual([{ uuid, report }]);
  });

  it('turns a report into the CDR the hangup event would have given', () => {
    expect(cdrFromReport(report)).toEqual({
      call_uuid: uuid,
      account_id: '11111111-2222-3333-4444-555555555555',
      subaccount_id: '22222222-2222-3333-4444-555555555555',
      direction: 'outgoing',
      call_class: 'local',
      caller_name: 'Desk & Co / 2nd floor',
      caller_number: 'alice',
      dialed: '101',
      callee: '+12125550199',
      started_at: new Date(1795442781992),
      answered_at: new Date(1795442781992),
      ended_at: new Date(1795442783292),
      billable_seconds: 2,
      hangup_cause: 'NORMAL_CLEARING',
      hunt_group_id: null,
      ivr_menu_id: null,
      conference_subaccount_id: null,
      trunk_id: null,
      did: null,
      charged_leg_uuid: null,
    });
  });

  it('is set verbatim with the fields FreeSWITCH expands at hang-up', () => {
    const hook = reportingHook();
    expect(hook.startsWith('hash insert/callplane_cdr/${Unique-ID}/')).toBe(true);
    expect(hook).not.toContain('\\$');
    expect(hook).toContain('Caller-Caller-ID-Name=${url_encode(${Caller-Caller-ID-Name})}');
  });
});
