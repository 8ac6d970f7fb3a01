// The registrar: REGISTER → digest challenge → bindings in the database → 200
// listing every current binding. The source address, port and transport are
// stored with each binding so calls reach a device behind NAT.
import type { Database } from '../db/index.js';
import {
  type BindingChange,
  type ContactRequest,
  type ExpiryLimits,
  type RegisterPlan,
  type Source,
  type StoredBinding,
  RegisterBatcher,
  callRepository,
  contactHeader,
  macHints,
  planRegister,
  registrationRepository as repo,
} from '../registrations/index.js';
import type { AbuseGuard } from './abuse.js';
import type { DigestAuthenticator, NonceCount } from './authenticate.js';
import { type DigestAlgorithm, algorithmsFor, challenges } from './digest.js';
import { type NameAddr, type SipRequest, type SipResponse, contactsOf, header, nameAddr, parseUri, transportOf } from './message.js';

export interface RegistrarDeps {
  db: Database;
  auth: DigestAuthenticator;
  guard: AbuseGuard;
  limits: ExpiryLimits;
  digest: readonly DigestAlgorithm[];
  now?: () => Date;
  /** shared by the registrars of one process; one per registrar when absent */
  batcher?: RegisterBatcher;
}

const integer = (v: string | null | undefined) => (v !== undefined && v !== null && /^\d{1,10}$/.test(v) ? Number(v) : undefined);

function contactRequest(c: NameAddr): ContactRequest {
  const instance = c.params['+sip.instance'];
  return {
    uri: c.uri,
    expires: integer(c.params.expires),
    instanceId: instance ? instance.replace(/^"|"$/g, '') : undefined,
    regId: integer(c.params['reg-id']),
  };
}

type Who = { subaccountId: string; accountId: string };
type Stored = { kind: 'refused' } | { kind: 'stored'; bindings: StoredBinding[] };
type Writable = Exclude<RegisterPlan, { kind: 'too-brief' | 'invalid' }>;

/** The common REGISTER — one contact, no +sip.instance — which the batcher writes. */
const batched = (plan: RegisterPlan): plan is { kind: 'update'; changes: [BindingChange] } =>
  plan.kind === 'update' && plan.changes.length === 1 && plan.changes[0]!.instanceId === null;

async function deviceFor(db: Database, who: Who, change: BindingChange, source: Source): Promise<string | null> {
  const macs = macHints(change.instanceId, source.userAgent);
  return macs.length ? callRepository.deviceForBinding(db, who.accountId, who.subaccountId, macs) : null;
}

/**
 * Applies the plan. The common case goes to the batcher: its nonce-count and
 * its binding in one statement, shared with the REGISTERs that arrived
 * meanwhile. The rest (their nonce-count already accepted) write in one transaction.
 */
async function storeBindings(
  deps: { db: Database; batcher: RegisterBatcher },
  who: Who,
  plan: Writable,
  nonceCount: NonceCount | undefined,
  source: Source,
  at: Date,
): Promise<Stored> {
  const { db } = deps;
  if (batched(plan)) {
    const [change] = plan.changes;
    const deviceId = change.expiresSeconds === 0 ? null : await deviceFor(db, who, change, source);
    return deps.batcher.register({ who, uri: change.uri, expiresSeconds: change.expiresSeconds, regId: change.regId, deviceId, source, at, nonceCount });
  }
  const bindings = await db.transaction().execute(async (trx) => {
    if (plan.kind === 'remove-all') await repo.removeAllBindings(trx, who.subaccountId);
    if (plan.kind === 'update') {
      const changes = await Promise.all(plan.changes.map(async (c) => ({ ...c, deviceId: await deviceFor(trx, who, c, source) })));
      await repo.applyBindingChanges(trx, who, changes, source, at);
    }
    return repo.currentBindings(trx, who.subaccountId, at);
  });
  return { kind: 'stored', bindings };
}

function sourceOf(req: SipRequest): Source {
  return {
    address: req.source_address,
    port: Number(req.source_port),
    transport: transportOf(req),
    userAgent: header(req, 'user-agent') ?? '',
    callId: header(req, 'call-id') ?? '',
    cseq: integer(header(req, 'cseq')?.split(/\s+/)[0]) ?? 0,
  };
}

export function registrar(deps: RegistrarDeps) {
  const now = () => deps.now?.() ?? new Date();
  const store = { db: deps.db, batcher: deps.batcher ?? new RegisterBatcher(deps.db) };
  const challenge = async (req: SipRequest, res: SipResponse, realm: string, stale: boolean, counts: boolean) => {
    if (counts) await deps.guard.authFailed(req.source_address);
    res.send(401, { headers: { 'WWW-Authenticate': challenges(realm, deps.auth.nonce(), stale, algorithmsFor(transportOf(req), deps.digest)).join('\r\nWWW-Authenticate: ') } });
  };
  return async (req: SipRequest, res: SipResponse): Promise<void> => {
    const to = nameAddr(req, 'To');
    const aor = to ? parseUri(to.uri) : undefined;
    const contacts = contactsOf(req);
    const expiresHeader = header(req, 'expires');
    if (!aor?.user || !aor.host || contacts === undefined || (expiresHeader !== undefined && integer(expiresHeader) === undefined)) {
      res.send(400, 'Bad Request');
      return;
    }
    const realm = aor.host.toLowerCase();
    const outcome = await deps.auth.authenticate('REGISTER', realm, header(req, 'authorization'), { deferNonceCount: true });
    if (outcome.kind === 'challenge') return challenge(req, res, realm, outcome.stale, outcome.counts);
    if (outcome.kind === 'rejected') {
      await deps.guard.authFailed(req.source_address);
      res.send(403, 'Forbidden');
      return;
    }
    const plan = planRegister(
      { wildcard: contacts === '*', expiresHeader: integer(expiresHeader), contacts: contacts === '*' ? [] : contacts.map(contactRequest) },
      deps.limits,
    );
    const mine = outcome.username === aor.user;
    // every answer but the batched one accepts the nonce-count first, as a replay is refused before anything else
    const { nonceCount } = outcome;
    if (!(mine && batched(plan)) && nonceCount && !(await deps.auth.acceptNonceCount(nonceCount))) return challenge(req, res, realm, false, true);
    if (!mine) {
      await deps.guard.authFailed(req.source_address);
      res.send(403, 'Forbidden');
      return;
    }
    if (plan.kind === 'too-brief') return res.send(423, 'Interval Too Brief', { headers: { 'Min-Expires': String(plan.minExpires) } });
    if (plan.kind === 'invalid') return res.send(400, plan.reason);
    const at = now();
    const stored = await storeBindings(store, outcome.identity, plan, batched(plan) ? nonceCount : undefined, sourceOf(req), at);
    // a replayed nonce-count in the batch: nothing was written
    if (stored.kind === 'refused') return challenge(req, res, realm, false, true);
    await answerStored(deps, res, stored.bindings, at);
  };
}

/** 200 with every binding; over the cap, the oldest go first. */
async function answerStored(deps: RegistrarDeps, res: SipResponse, bindings: StoredBinding[], at: Date): Promise<void> {
  if (bindings.length > deps.limits.maxBindings) {
    for (const old of bindings.slice(0, bindings.length - deps.limits.maxBindings)) {
      await deps.db.deleteFrom('registrations').where('id', '=', old.id).execute();
    }
  }
  const contact = contactHeader(bindings.slice(-deps.limits.maxBindings), at);
  res.send(200, { headers: { ...(contact ? { Contact: contact } : {}), Date: at.toUTCString() } });
}
