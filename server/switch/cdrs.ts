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
    charged_leg_uuid: uuidOrNull(v('callplane_charged_leg')),
  };
}

/**
 * CDRs that survive a controller restart. FreeSWITCH runs each routed call's
 * api_reporting_hook at hang-up, after its times are set and before it fires
 * CHANNEL_HANGUP_COMPLETE: `hash insert` (mod_hash, FreeSWITCH's memory) keeps
 * the fields cdrFromHangup reads under the call's uuid. A controller that
 * (re)connects dumps them, records each CDR (once per uuid, as from the event)
 * and deletes the entry; one connected all along deletes it after the event.
 * (mod_db was the first choice, but its `db select` answers at most 255
 * characters, and a report is longer.)
 */
export const REPORT_REALM = 'callplane_cdr';

/**
 * The CDR fields kept at hang-up, by the name cdrFromHangup reads them under.
 * The hook expands against the channel's variables and its event headers
 * (switch_event_expand_headers: no caller-profile fallback), so caller fields
 * are read by their header names. Text that may hold anything is URL-encoded.
 */
const REPORTED: readonly [header: string, expansion: string][] = [
  ['Unique-ID', '${Unique-ID}'],
  ['Hangup-Cause', '${hangup_cause}'],
  ['Caller-Caller-ID-Name', '${url_encode(${Caller-Caller-ID-Name})}'],
  ['Caller-Caller-ID-Number', '${url_encode(${Caller-Caller-ID-Number})}'],
  ['Caller-Destination-Number', '${url_encode(${Caller-Destination-Number})}'],
  ...['start_uepoch', 'answer_uepoch', 'bridge_uepoch', 'end_uepoch', 'billsec'].map((v): [string, string] => [`variable_${v}`, `\${${v}}`]),
  ...[
    'callplane_call', 'callplane_account', 'callplane_subaccount', 'callplane_direction', 'callplane_class', 'callplane_dialed',
    'callplane_callee', 'callplane_external', 'callplane_charged_leg', 'callplane_hunt_group', 'callplane_ivr_menu', 'callplane_conference',
    'callplane_trunk', 'callplane_did',
  ].map((v): [string, string] => [`variable_${v}`, `\${url_encode(\${${v}})}`]),
];

/** The api_reporting_hook value, set verbatim (uuid_setvar): FreeSWITCH expands it at hang-up, not when it is set. */
export function reportingHook(): string {
  const fields = REPORTED.map(([name, expansion]) => `${name}=${expansion}`).join('&');
  return `hash insert/${REPORT_REALM}/\${Unique-ID}/${fields}`;
}

/** The CDR a report left in FreeSWITCH stands for (the same rules as the hangup event). */
export function cdrFromReport(report: string): ReturnType<typeof cdrFromHangup> {
  const fields = new Map<string, string>();
  for (const pair of report.trim().split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      fields.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
    } catch {
      // a malformed escape: leave the field out
    }
  }
  return cdrFromHangup((name) => fields.get(name) || undefined);
}

/** The reports `hash_dump db <realm>` answered with: lines `D/<realm>_<uuid>/<report>`. */
export function reportsInDump(dump: string): { uuid: string; report: string }[] {
  const prefix = `D/${REPORT_REALM}_`;
  return dump
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => {
      const rest = line.slice(prefix.length);
      const slash = rest.indexOf('/');
      return { uuid: rest.slice(0, slash), report: rest.slice(slash + 1) };
    })
    .filter((entry) => UUID.test(entry.uuid));
}
