// Transfers and session timers across the B2BUA. FreeSWITCH carries out a
// REFER it receives (blind: the other party re-enters the dialplan; attended:
// Replaces joins two calls), so the edge only has to say, in terms FreeSWITCH
// can act on and trust:
// - who transfers: the edge writes Referred-By itself as the transferor's
//   subaccount (a device's own Referred-By is never passed on); the dialplan
//   routes the transferred call as a new call from that subaccount;
// - which call Replaces names: the device names its own dialog with the edge,
//   which FreeSWITCH has never seen; the edge swaps in the Call-ID and tags of
//   the matching dialog between the edge and FreeSWITCH.
// Session timers (RFC 4028): each side of the B2BUA is its own dialog; the
// edge passes Session-Expires / Min-SE / Supported on and answers a refresh
// with the interval and refresher the requester asked for.

/** A dialog's identity as drachtio-srf keeps it. */
export interface DialogIds {
  callId: string;
  localTag: string;
  remoteTag: string;
}

/** The dialog between the edge and FreeSWITCH that each device-side dialog is joined to, by device Call-ID. */
export class DialogPairs {
  private readonly pairs = new Map<string, DialogIds>();

  add(device: DialogIds, toSwitch: DialogIds): () => void {
    this.pairs.set(device.callId, toSwitch);
    return () => this.pairs.delete(device.callId);
  }

  switchSideOf(deviceCallId: string): DialogIds | undefined {
    return this.pairs.get(deviceCallId);
  }
}

/** The domain FreeSWITCH's dialplan recognises in Referred-By (dialplans/dialplan/callplane.xml). */
export const TRANSFEROR_DOMAIN = 'callplane.invalid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The headers of a device's REFER as FreeSWITCH must receive it, or the status
 * to refuse it with: 403 when nobody can be named as transferor (a carrier),
 * 400 when Refer-To is not a SIP URI, 481 when Replaces names a call the edge
 * does not know.
 */
export function referToSwitch(referTo: string | undefined, transferor: string | null, pairs: DialogPairs): Record<string, string> | number {
  if (!transferor || !UUID.test(transferor)) return 403;
  const uri = referTo ? /<(sips?:[^>]+)>|^\s*(sips?:\S+)/.exec(referTo) : null;
  const target = uri?.[1] ?? uri?.[2];
  if (!target) return 400;
  const [base, query] = splitOnce(target, '?');
  const params = new URLSearchParams(query ?? '');
  const replaces = params.get('Replaces');
  if (replaces !== null) {
    const callId = replaces.split(';')[0]!.trim();
    const other = pairs.switchSideOf(callId);
    if (!other) return 481;
    // as FreeSWITCH sees that dialog: its local tag is the edge's remote one
    params.set('Replaces', `${other.callId};to-tag=${other.remoteTag};from-tag=${other.localTag}`);
  }
  const rest = params.toString().replace(/\+/g, '%20');
  return {
    'Refer-To': `<${base}${rest ? `?${rest}` : ''}>`,
    'Referred-By': `<sip:${transferor}@${TRANSFEROR_DOMAIN}>`,
  };
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

type Get = (name: string) => string | undefined;

/** Session-timer headers of a request, to pass on to the other side. */
export function timerHeaders(get: Get): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['Session-Expires', 'Min-SE', 'Supported']) {
    const value = get(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/**
 * What a 2xx to a session-timer request must carry (RFC 4028 §9): the interval
 * asked for and who refreshes — the requester unless it chose otherwise — and
 * Require: timer when it said it supports timers. Nothing for a request without
 * Session-Expires.
 */
export function timerAnswer(get: Get): Record<string, string> {
  const asked = get('Session-Expires');
  const delta = asked ? /^\s*(\d+)/.exec(asked)?.[1] : undefined;
  if (!delta) return {};
  const refresher = /refresher\s*=\s*(uac|uas)/i.exec(asked!)?.[1]?.toLowerCase() ?? 'uac';
  const supportsTimer = /(^|,)\s*timer\s*(,|$)/i.test(get('Supported') ?? '');
  return { 'Session-Expires': `${delta};refresher=${refresher}`, ...(supportsTimer ? { Require: 'timer' } : {}) };
}
