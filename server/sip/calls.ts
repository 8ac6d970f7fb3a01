// Calls through the edge. From a device: proxy-authenticate, count against the
// account's trunks, and hand the call to FreeSWITCH as a B2BUA with the caller's
// identity in X-Callplane-* headers (the device's own are never copied). From
// FreeSWITCH to a subaccount: fork to every binding that rings — to its source
// address, for NAT — first answer wins, the rest are cancelled.
import type { Logger } from 'pino';
import type { Database } from '../db/index.js';
import { callRepository, looksOnNet, sourceUri } from '../registrations/index.js';
import type { AbuseGuard } from './abuse.js';
import type { DigestAuthenticator } from './authenticate.js';
import { type Dialog, bridge } from './bridge.js';
import type { DialogPairs } from './transfers.js';
import { type DigestAlgorithm, algorithmsFor, challenges } from './digest.js';
import { type SipRequest, type SipResponse, nameAddr, parseUri, transportOf } from './message.js';

export interface CallDeps {
  db: Database;
  auth: DigestAuthenticator;
  guard: AbuseGuard;
  digest: readonly DigestAlgorithm[];
  switchAddress: { host: string; port: number };
  /** device dialogs and the FreeSWITCH dialogs they are joined to (attended transfer) */
  pairs: DialogPairs;
  log: Logger;
  now?: () => Date;
}

/** What calls need of drachtio-srf. */
export interface CallSrf {
  createB2BUA(req: SipRequest, res: SipResponse, uri: string, opts: object): Promise<{ uas: Dialog; uac: Dialog }>;
  createUAC(uri: string, opts: object, callbacks: { cbRequest?: (err: unknown, req?: { cancel(): void }) => void; cbProvisional?: (res: { status: number; reason?: string; body?: string }) => void }): Promise<Dialog & { remote: { sdp: string } }>;
  createUAS(req: SipRequest, res: SipResponse, opts: { localSdp: string; headers?: Record<string, string> }): Promise<Dialog>;
}

/** Headers of the device's INVITE that FreeSWITCH may see. */
const FROM_DEVICE = ['User-Agent', 'Supported', 'Allow', 'Session-Expires', 'Min-SE', 'Privacy', 'P-Preferred-Identity', 'Accept'];

export function isFromSwitch(req: SipRequest, deps: Pick<CallDeps, 'switchAddress'>): boolean {
  return req.source_address === deps.switchAddress.host;
}

export function callFromDevice(srf: CallSrf, deps: CallDeps) {
  const now = () => deps.now?.() ?? new Date();
  return async (req: SipRequest, res: SipResponse): Promise<void> => {
    const from = nameAddr(req, 'From');
    const caller = from ? parseUri(from.uri) : undefined;
    const dialed = parseUri(req.uri)?.user;
    if (!caller?.user || !caller.host) return res.send(400, 'Bad From');
    const realm = caller.host.toLowerCase();
    const outcome = await deps.auth.authenticate('INVITE', realm, req.get('Proxy-Authorization'));
    if (outcome.kind === 'challenge') {
      if (outcome.counts) await deps.guard.authFailed(req.source_address);
      const value = challenges(realm, deps.auth.nonce(), outcome.stale, algorithmsFor(transportOf(req), deps.digest)).join('\r\nProxy-Authenticate: ');
      return res.send(407, { headers: { 'Proxy-Authenticate': value } });
    }
    if (outcome.kind === 'rejected' || outcome.username !== caller.user) {
      await deps.guard.authFailed(req.source_address);
      return res.send(403, 'Forbidden');
    }
    if (!dialed || !/^[0-9*#+]{1,32}$/.test(dialed)) return res.send(484, 'Address Incomplete');
    const who = outcome.identity;
    const callId = req.get('Call-ID') ?? '';
    const counted = !looksOnNet(dialed);
    if (counted && !(await callRepository.admitCall(deps.db, { callId, accountId: who.accountId, direction: 'outbound' }, now()))) {
      return res.send(503, 'Trunk Limit Reached');
    }
    const release = () => (counted ? callRepository.endCall(deps.db, callId).catch(() => undefined) : Promise.resolve());
    const target = `sip:${dialed}@${deps.switchAddress.host}:${deps.switchAddress.port}`;
    try {
      const { uas, uac } = await srf.createB2BUA(req, res, target, {
        proxyRequestHeaders: FROM_DEVICE,
        headers: { 'X-Callplane-Account': who.accountId, 'X-Callplane-Subaccount': who.subaccountId, 'X-Callplane-Source': `${req.source_address}:${req.source_port}` },
      });
      bridge(uas, uac, () => void release(), { device: uas, transferor: who.subaccountId, pairs: deps.pairs });
    } catch (error) {
      await release();
      const status = (error as { status?: number }).status;
      if (status === undefined) deps.log.warn({ err: (error as Error).message, callId }, 'call to FreeSWITCH failed');
    }
  };
}

export function callToSubaccount(srf: CallSrf, deps: CallDeps) {
  const now = () => deps.now?.() ?? new Date();
  return async (req: SipRequest, res: SipResponse): Promise<void> => {
    const subaccountId = req.get('X-Callplane-Subaccount');
    if (!subaccountId || !/^[0-9a-f-]{36}$/.test(subaccountId)) return res.send(404, 'Not Found');
    const bindings = await callRepository.ringingBindings(deps.db, subaccountId, now());
    if (bindings.length === 0) return res.send(480, 'Temporarily Unavailable');
    const sent = new Map<number, { cancel(): void }>();
    const cancelAll = (except?: number) => {
      for (const [i, s] of sent) if (i !== except) tryCancel(s);
    };
    let cancelled = false;
    (req as unknown as NodeJS.EventEmitter).on('cancel', () => {
      cancelled = true;
      cancelAll();
    });
    const ring = ringOnce(res);
    const attempts = bindings.map((b, i) =>
      srf.createUAC(
        b.contact,
        { proxy: sourceUri(b), localSdp: (req as unknown as { body: string }).body, headers: { From: req.get('From') ?? '', To: req.get('To') ?? '' } },
        {
          cbRequest: (_err, r) => r && sent.set(i, r),
          cbProvisional: ring,
        },
      ),
    );
    const winner = await firstAnswer(attempts.map((a, i) => a.then((dialog) => ({ dialog, i }))));
    if (!winner.answer) return cancelled ? undefined : res.send(winner.status, winner.reason);
    const { dialog, i: index } = winner.answer;
    cancelAll(index);
    // a second device answering in the same instant is hung up
    for (const other of attempts) void other.then((d) => d !== dialog && d.destroy()).catch(() => undefined);
    if (cancelled) return void dialog.destroy().catch(() => undefined);
    const uas = await srf.createUAS(req, res, { localSdp: dialog.remote.sdp });
    bridge(uas, dialog, () => undefined, { device: dialog, transferor: subaccountId, pairs: deps.pairs });
  };
}

/**
 * Relays the forked legs' progress to FreeSWITCH: one 180, and the first
 * 18x with SDP (early media: the far end's ringback or announcement) with
 * that SDP. Only the first device's early media is heard; with several
 * devices ringing, the rest ring silently.
 */
function ringOnce(res: SipResponse) {
  let ringing = false;
  let early = false;
  return (p: { status: number; reason?: string; body?: string }) => {
    if (p.status < 180 || early) return;
    if (p.body) {
      early = true;
      return res.send(p.status, p.reason ?? 'Session Progress', { headers: { 'Content-Type': 'application/sdp' }, body: p.body });
    }
    if (!ringing && p.status === 180) {
      ringing = true;
      res.send(180);
    }
  };
}

/** The first leg to answer; when none does, the most telling failure (busy before unavailable). */
function tryCancel(request: { cancel(): void }): void {
  try {
    request.cancel();
  } catch {
    // already answered or gone
  }
}

async function firstAnswer<D>(attempts: Promise<D>[]): Promise<{ answer?: D; status: number; reason: string }> {
  try {
    return { answer: await Promise.any(attempts), status: 200, reason: 'OK' };
  } catch (error) {
    const statuses = (error as AggregateError).errors.map((e: { status?: number }) => e.status ?? 500);
    if (statuses.includes(486) || statuses.includes(600)) return { status: 486, reason: 'Busy Here' };
    if (statuses.includes(603)) return { status: 603, reason: 'Decline' };
    return { status: 480, reason: 'Temporarily Unavailable' };
  }
}
