// CDRs from CHANNEL_HANGUP_COMPLETE. The controller stamps each call's A-leg
// with callplane_* channel variables when it routes it; the hangup event of
// that leg carries them, with FreeSWITCH's own times and billsec. Written once
// per call uuid: a repeated event, or the same event seen by two controller
// processes connected to one FreeSWITCH, changes nothing.
import type { CdrTable } from '../db/schema.js';

type Header = (name: string) => string | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (v: string | undefined) => (v && UUID.test(v) ? v : null);

/** FreeSWITCH times are microseconds since the epoch; 0 means "never". */
function micros(v: string | undefined): Date | null {
  const n = Number(v ?? '0');
  return Number.isFinite(n) && n > 0 ? new Date(Math.floor(n / 1000)) : null;
}

/** The CDR a hangup event stands for, or undefined when the channel is not a routed callplane call. */
export function cdrFromHangup(h: Header): Omit<CdrTable, 'recorded_at'> | undefined {
  const v = (name: string) => h(`variable_${name}`);
  const callUuid = h('Unique-ID');
  const accountId = uuidOrNull(v('callplane_account'));
  if (v('callplane_call') !== 'true' || !callUuid || !UUID.test(callUuid) || !accountId) return undefined;
  const started = micros(v('start_uepoch')) ?? micros(h('Caller-Channel-Created-Time'));
  const ended = micros(v('end_uepoch')) ?? micros(h('Event-Date-Timestamp'));
  if (!started || !ended) return undefined;
  // A call to a carrier is billed from the moment it was bridged to the carrier,
  // not from when the caller's leg was answered (an IVR may have answered it).
  const external = v('callplane_external') === 'true';
  const answeredAt = external ? micros(v('bridge_uepoch')) : micros(v('answer_uepoch'));
  const billable = external
    ? answeredAt ? Math.max(0, Math.floor((ended.getTime() - answeredAt.getTime()) / 1000)) : 0
    : Math.max(0, Number.parseInt(v('billsec') ?? '0', 10) || 0);
  return {
    call_uuid: callUuid,
    account_id: accountId,
    subaccount_id: uuidOrNull(v('callplane_subaccount')),
    direction: v('callplane_direction') === 'incoming' ? 'incoming' : 'outgoing',
    call_class: v('callplane_class') ?? 'unknown',
    caller_name: h('Caller-Caller-ID-Name') ?? '',
    caller_number: h('Caller-Caller-ID-Number') ?? '',
    dialed: v('callplane_dialed') ?? h('Caller-Destination-Number') ?? '',
    callee: v('callplane_callee') ?? '',
    started_at: started,
    answered_at: answeredAt,
    ended_at: ended,
    billable_seconds: billable,
    hangup_cause: h('Hangup-Cause') ?? v('hangup_cause') ?? 'UNKNOWN',
    hunt_group_id: uuidOrNull(v('callplane_hunt_group')),
    ivr_menu_id: uuidOrNull(v('callplane_ivr_menu')),
    conference_subaccount_id: uuidOrNull(v('callplane_conference')),
    trunk_id: uuidOrNull(v('callplane_trunk')),
    did: v('callplane_did') ?? null,
  };
}
