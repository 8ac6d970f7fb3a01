// The SIP edge: a drachtio-srf application connected to drachtio-server's
// admin port. Every request is screened for abuse first; REGISTER goes to the
// registrar, OPTIONS is answered, the rest are refused clearly until the call
// relay lands. drachtio-srf reconnects with backoff when the server goes away.
import type { Logger } from 'pino';
import { errorSummary } from '../log.js';
import type { SipConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { RegisterBatcher, registrationRepository } from '../registrations/index.js';
import type { MasterKey, SecretBox } from '../secrets.js';
import { AbuseGuard } from './abuse.js';
import { coalesceWrites } from './coalesce.js';
import { DigestAuthenticator, IDENTITY_MAX_AGE_MS } from './authenticate.js';
import { SipIdentities } from './identities.js';
import { type SipRequest, type SipResponse, Srf, header } from './message.js';
import { TrunkDirectory } from '../trunks/index.js';
import { type CallSrf, callFromDevice, callToSubaccount, isFromSwitch } from './calls.js';
import { type RegisterSrf, registerWithCarriers } from './carrier-registration.js';
import { callFromCarrier, callToCarrier } from './carriers.js';
import { NonceSigner } from './nonces.js';
import { DialogPairs } from './transfers.js';
import { type NotifySrf, notifyDevice } from './notify.js';
import { registrar } from './registrar.js';

export interface SipEdge {
  guard: AbuseGuard;
  trunks: TrunkDirectory;
  /** resolves once connected to drachtio-server (the first time) */
  connected: Promise<void>;
  /** registers at once with carriers whose trunks ask for it (otherwise within 10 s of a change) */
  syncCarrierRegistrations(): void;
  /** SIP users, passwords, realms or account statuses changed through this process: drop the identity snapshot */
  identitiesChanged(): void;
  /** NOTIFY `event` to every registered binding of a device; how many were sent */
  notifyDevice(deviceId: string, event: string): Promise<number>;
  stop(): Promise<void>;
}

export interface SipEdgeDeps {
  config: SipConfig;
  db: Database;
  box: SecretBox;
  key: MasterKey;
  log: Logger;
}

type Handler = (req: SipRequest, res: SipResponse) => Promise<void>;

const ALLOW = 'REGISTER, OPTIONS, INVITE, ACK, BYE, CANCEL';

/** Runs a handler so that nothing it throws can take the process down; the sender gets a 500. */
function guarded(log: Logger, handler: Handler) {
  return (req: SipRequest, res: SipResponse) => {
    handler(req, res).catch((error: unknown) => {
      log.error({ err: errorSummary(error), method: req.method, source: req.source_address }, 'SIP request failed');
      try {
        res.send(500);
      } catch {
        // the response may already be gone
      }
    });
  };
}

export async function startSipEdge(deps: SipEdgeDeps): Promise<SipEdge> {
  const { config, db, log } = deps;
  if (!config.drachtio) throw new Error('drachtio-server is not configured');
  const trunks = new TrunkDirectory({ db, box: deps.box });
  await trunks.start();
  const guard = new AbuseGuard({
    db,
    settings: config,
    onBan: (address, reason) => log.warn({ address, reason }, 'SIP source banned'),
    trusted: (address) => address === config.freeswitch?.host || trunks.fromAddress(address) !== undefined,
  });
  await guard.start();
  const identities = new SipIdentities({ db, box: deps.box, maxAgeMs: IDENTITY_MAX_AGE_MS, onError: (error) => log.warn({ err: errorSummary(error) }, 'SIP identities reload failed') });
  const auth = new DigestAuthenticator({ db, box: deps.box, signer: new NonceSigner(deps.key.derive('sip-nonce'), config.nonceTtlSeconds),
    algorithms: config.digest, identities,
  });
  const srf = new Srf();
  const use = srf.use.bind(srf) as unknown as (fn: (req: SipRequest, res: SipResponse, next: () => void) => void) => void;
  use((req, _res, next) => {
    if (req.socket) coalesceWrites(req.socket);
    const verdict = guard.verdict(req.source_address, header(req, 'user-agent'));
    if (verdict === 'pass') return next();
    if (verdict === 'drop') return;
    verdict.then(
      (later) => (later === 'pass' ? next() : undefined),
      (error: unknown) => log.error({ err: error }, 'abuse screen failed'),
    );
  });
  const on = (method: string, handler: Handler) => (srf as unknown as Record<string, (h: unknown) => void>)[method]!(guarded(log, handler));
  const batcher = new RegisterBatcher(db, {
    minIntervalMs: config.registerBatchMs,
    watch: {
      onSlow: (ms, requests) => log.warn({ ms, requests }, 'REGISTER batch statement slow: every REGISTER waited for it'),
      onFailed: (error, requests) => log.warn({ err: errorSummary(error), requests }, 'REGISTER batch failed: retrying it in halves'),
    },
  });
  on('register', registrar({ db, auth, guard, limits: { ...config.expires, maxBindings: config.maxBindings }, digest: config.digest, batcher }));
  on('options', async (_req, res) => res.send(200, { headers: { Allow: ALLOW } }));
  for (const method of ['subscribe', 'message', 'publish', 'notify', 'refer', 'info', 'update', 'prack']) {
    on(method, async (_req, res) => res.send(405, { headers: { Allow: ALLOW } }));
  }
  const switchAddress = config.freeswitch;
  if (switchAddress) {
    const callSrf = srf as unknown as CallSrf;
    const callDeps = { db, auth, guard, digest: config.digest, switchAddress, pairs: new DialogPairs(), log };
    const fromDevice = callFromDevice(callSrf, callDeps);
    const toSubaccount = callToSubaccount(callSrf, callDeps);
    const fromCarrier = callFromCarrier(callSrf, callDeps);
    const toCarrier = callToCarrier(callSrf, { ...callDeps, trunks });
    on('invite', async (req, res) => {
      if (isFromSwitch(req, callDeps)) {
        const trunkId = req.get('X-Callplane-Trunk');
        return trunkId ? toCarrier(req, res, trunkId) : toSubaccount(req, res);
      }
      const carrier = trunks.fromAddress(req.source_address);
      return carrier ? fromCarrier(req, res, carrier) : fromDevice(req, res);
    });
  } else {
    log.info('calls: off (set FREESWITCH_SIP to send calls to FreeSWITCH)');
    on('invite', async (_req, res) => res.send(503, 'Calls Not Available'));
  }

  const carriers = registerWithCarriers(srf as unknown as RegisterSrf, trunks, log);
  const sweeper = setInterval(() => {
    registrationRepository.sweepExpired(db, new Date()).catch((error: unknown) => log.warn({ err: error }, 'sweep failed'));
  }, 30_000);
  sweeper.unref();

  const { host, port, secret } = config.drachtio;
  const emitter = srf as unknown as NodeJS.EventEmitter;
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  emitter.on('connect', (err: Error | null, hostport: string) => {
    if (err) return log.warn({ err: errorSummary(err) }, 'drachtio connect error');
    log.info({ hostport }, 'SIP edge connected to drachtio-server');
    markConnected();
  });
  emitter.on('error', (err: Error) => log.warn({ err: err.message }, 'drachtio connection error; reconnecting'));
  emitter.on('reconnecting', (opts: unknown) => log.info({ opts }, 'reconnecting to drachtio-server'));
  (srf.connect as (opts: object) => unknown)({ host, port, secret });
  return {
    guard,
    trunks,
    connected,
    syncCarrierRegistrations: () => carriers.sync(),
    identitiesChanged: () => identities.invalidate(),
    notifyDevice: (deviceId, event) => notifyDevice(srf as unknown as NotifySrf, db, deviceId, event),
    stop: async () => {
      clearInterval(sweeper);
      carriers.stop();
      guard.stop();
      trunks.stop();
      srf.disconnect();
    },
  };
}
