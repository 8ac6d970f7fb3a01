// Two dialogs joined back to back: whatever one side sends inside its dialog —
// re-INVITE or UPDATE (hold, resume, codec change), INFO (DTMF), REFER and its
// NOTIFYs (transfers), MESSAGE — is passed to the other side and the answer
// comes back; a BYE on either side ends both. A device's REFER is rewritten on
// its way to FreeSWITCH (transfers.ts); session-timer refreshes are passed on
// and answered as RFC 4028 asks.
import { type DialogIds, type DialogPairs, referToSwitch, timerAnswer, timerHeaders } from './transfers.js';

/** The part of a drachtio-srf Dialog the bridge uses. */
export interface Dialog {
  /** false once the dialog has ended (drachtio-srf sets it on BYE) */
  connected?: boolean;
  /** Call-ID and tags (drachtio-srf) */
  sip?: DialogIds;
  on(event: string, listener: (...args: never[]) => void): unknown;
  destroy(opts?: { headers?: Record<string, string> }): Promise<unknown>;
  modify(sdp: string, opts?: { headers?: Record<string, string> }): Promise<string>;
  request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<InDialogResponse>;
}

interface InDialogRequest {
  method: string;
  body?: string;
  get(name: string): string | undefined;
}

interface InDialogResponse {
  status: number;
  reason?: string;
  body?: string;
  get(name: string): string | undefined;
}

interface Responder {
  send(status: number, opts?: { headers?: Record<string, string>; body?: string }): void;
}

/** Headers that carry meaning for the relayed methods; everything else is hop-by-hop. */
const PASSED = ['Content-Type', 'Event', 'Subscription-State', 'Refer-To', 'Referred-By', 'Replaces', 'Info-Package', 'Reason', 'Session-Expires', 'Min-SE', 'Supported', 'Require'];

function picked(msg: { get(name: string): string | undefined }): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PASSED) {
    const value = msg.get(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

const RELAYED = ['info', 'update', 'refer', 'notify', 'message', 'options'] as const;

/** How a device's REFER reaches FreeSWITCH: who transfers, and the dialogs Replaces may name. */
export interface TransferRule {
  /** the device-side dialog of this bridge */
  device: Dialog;
  /** the subaccount that transfers when the device sends REFER; null refuses transfers (carriers) */
  transferor: string | null;
  pairs: DialogPairs;
}

type Handler = (req: InDialogRequest, res: Responder) => void;

function forward(to: Dialog, req: InDialogRequest, res: Responder, headers: Record<string, string>): void {
  to.request({ method: req.method, headers, ...(req.body ? { body: req.body } : {}) }).then(
    (answer) => {
      const timer = answer.status < 300 && !answer.get('Session-Expires') ? timerAnswer((n) => req.get(n)) : {};
      res.send(answer.status, { headers: { ...picked(answer), ...timer }, ...(answer.body ? { body: answer.body } : {}) });
    },
    (error: { status?: number }) => res.send(error.status ?? 500),
  );
}

function relay(from: Dialog, to: Dialog, ended: () => void, transfer?: TransferRule): void {
  from.on('destroy', () => {
    to.destroy().catch(() => undefined);
    ended();
  });
  from.on('modify', (req: InDialogRequest, res: Responder) => {
    const get = (name: string) => req.get(name);
    to.modify(req.body ?? '', { headers: timerHeaders(get) }).then(
      (sdp) => res.send(200, { headers: { 'Content-Type': 'application/sdp', ...timerAnswer(get) }, body: sdp }),
      (error: { status?: number }) => res.send(error.status ?? 488),
    );
  });
  for (const event of RELAYED) {
    const handler: Handler = (req, res) => {
      if (event !== 'refer' || transfer?.device !== from) return forward(to, req, res, picked(req));
      const rewritten = referToSwitch(req.get('Refer-To'), transfer.transferor, transfer.pairs);
      if (typeof rewritten === 'number') return res.send(rewritten);
      const { 'Referred-By': _ignored, ...rest } = picked(req);
      forward(to, req, res, { ...rest, ...rewritten });
    };
    from.on(event, handler);
  }
}

/** Joins `a` and `b`; `ended` runs once when either side hangs up. */
export function bridge(a: Dialog, b: Dialog, ended: () => void, transfer?: TransferRule): void {
  let done = false;
  const switchSide = transfer?.device === a ? b : a;
  const unpair = transfer?.device.sip && switchSide.sip ? transfer.pairs.add(transfer.device.sip, switchSide.sip) : () => undefined;
  const once = () => {
    if (done) return;
    done = true;
    unpair();
    ended();
  };
  relay(a, b, once, transfer);
  relay(b, a, once, transfer);
  // a BYE that arrived before these listeners (a hang-up right after the
  // answer) has already ended one side: end the other now
  for (const [gone, other] of [[a, b], [b, a]] as const) {
    if (gone.connected === false) {
      other.destroy().catch(() => undefined);
      once();
    }
  }
}
