// Two dialogs joined back to back: whatever one side sends inside its dialog —
// re-INVITE or UPDATE (hold, resume, codec change), INFO (DTMF), REFER and its
// NOTIFYs (transfers), MESSAGE — is passed to the other side and the answer
// comes back; a BYE on either side ends both.

/** The part of a drachtio-srf Dialog the bridge uses. */
export interface Dialog {
  /** false once the dialog has ended (drachtio-srf sets it on BYE) */
  connected?: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  destroy(opts?: { headers?: Record<string, string> }): Promise<unknown>;
  modify(sdp: string): Promise<string>;
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
const PASSED = ['Content-Type', 'Event', 'Subscription-State', 'Refer-To', 'Referred-By', 'Replaces', 'Info-Package', 'Reason'];

function picked(msg: { get(name: string): string | undefined }): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PASSED) {
    const value = msg.get(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

const RELAYED = ['info', 'update', 'refer', 'notify', 'message', 'options'] as const;

function relay(from: Dialog, to: Dialog, ended: () => void): void {
  from.on('destroy', () => {
    to.destroy().catch(() => undefined);
    ended();
  });
  from.on('modify', (req: InDialogRequest, res: Responder) => {
    to.modify(req.body ?? '').then(
      (sdp) => res.send(200, { headers: { 'Content-Type': 'application/sdp' }, body: sdp }),
      (error: { status?: number }) => res.send(error.status ?? 488),
    );
  });
  for (const event of RELAYED) {
    from.on(event, (req: InDialogRequest, res: Responder) => {
      to.request({ method: req.method, headers: picked(req), ...(req.body ? { body: req.body } : {}) }).then(
        (answer) => res.send(answer.status, { headers: picked(answer), ...(answer.body ? { body: answer.body } : {}) }),
        (error: { status?: number }) => res.send(error.status ?? 500),
      );
    });
  }
}

/** Joins `a` and `b`; `ended` runs once when either side hangs up. */
export function bridge(a: Dialog, b: Dialog, ended: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    ended();
  };
  relay(a, b, once);
  relay(b, a, once);
  // a BYE that arrived before these listeners (a hang-up right after the
  // answer) has already ended one side: end the other now
  for (const [gone, other] of [[a, b], [b, a]] as const) {
    if (gone.connected === false) {
      other.destroy().catch(() => undefined);
      once();
    }
  }
}
