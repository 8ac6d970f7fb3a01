// The registrar: REGISTER → digest challenge → bindings in the database → 200
// listing every current binding. The source address, port and transport are
// stored with each binding so calls reach a device behind NAT.
import type { Database } from '../db/index.js';
import type { RegistrationRow } from '../db/index.js';
import {
  type BindingChange,
  type ContactRequest,
  type ExpiryLimits,
  type RegisterPlan,
  type Source,
  callRepository,
  contactHeader,
  macHints,
  planRegister,
  registrationRepository as repo,
} from '../registrations/index.js';
import type { AbuseGuard } from './abuse.js';
import type { DigestAuthenticator } from './authenticate.js';
import { type DigestAlgorithm, algorithmsFor, challenges } from './digest.js';
import { type NameAddr, type SipRequest, type SipResponse, contactsOf, nameAddr, parseUri, transportOf } from './message.js';

export interface RegistrarDeps {
  db: Database;
  auth: DigestAuthenticator;
  guard: AbuseGuard;
  limits: ExpiryLimits;
  digest: readonly DigestAlgorithm[];
  now?: () => Date;
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

type StoredBinding = Pick<RegistrationRow, 'id' | 'contact' | 'expires_at'>;

/** Applies the plan; the one-contact case is a single statement, the rest one transaction. */
async function storeBindings(
  db: Database,
  who: { subaccountId: string; accountId: string },
  plan: Exclude<RegisterPlan, { kind: 'too-brief' | 'invalid' }>,
  source: Source,
  at: Date,
): Promise<StoredBinding[]> {
  const withDevices = async (trx: Database, changes: BindingChange[]) =>
    Promise.all(
      changes.map(async (c) => {
        const macs = macHints(c.instanceId, source.userAgent);
        return { ...c, deviceId: macs.length ? await callRepository.deviceForBinding(trx, who.accountId, who.subaccountId, macs) : null };
      }),
    );
  if (plan.kind === 'update' && plan.changes.length === 1 && plan.changes[0]!.instanceId === null) {
    const [change] = await withDevices(db, plan.changes);
    return repo.registerOneContact(db, who, change!, source, at);
  }
  return db.transaction().execute(async (trx) => {
    if (plan.kind === 'remove-all') await repo.removeAllBindings(trx, who.subaccountId);
    if (plan.kind === 'update') await repo.applyBindingChanges(trx, who, await withDevices(trx, plan.changes), source, at);
    return repo.currentBindings(trx, who.subaccountId, at);
  });
}

export function registrar(deps: RegistrarDeps) {
  const now = () => deps.now?.() ?? new Date();
  return async (req: SipRequest, res: SipResponse): Promise<void> => {
    const to = nameAddr(req, 'To');
    const aor = to ? parseUri(to.uri) : undefined;
    const contacts = contactsOf(req);
    const expiresHeader = req.get('Expires');
    if (!aor?.user || !aor.host || contacts === undefined || (expiresHeader !== undefined && integer(expiresHeader) === undefined)) {
      res.send(400, 'Bad Request');
      return;
    }
    const realm = aor.host.toLowerCase();
    const outcome = await deps.auth.authenticate('REGISTER', realm, req.get('Authorization'));
    if (outcome.kind === 'challenge') {
      if (outcome.counts) await deps.guard.authFailed(req.source_address);
      res.send(401, { headers: { 'WWW-Authenticate': challenges(realm, deps.auth.nonce(), outcome.stale, algorithmsFor(transportOf(req), deps.digest)).join('\r\nWWW-Authenticate: ') } });
      return;
    }
    if (outcome.kind === 'rejected' || outcome.username !== aor.user) {
      await deps.guard.authFailed(req.source_address);
      res.send(403, 'Forbidden');
      return;
    }
    const plan = planRegister(
      { wildcard: contacts === '*', expiresHeader: integer(expiresHeader), contacts: contacts === '*' ? [] : contacts.map(contactRequest) },
      deps.limits,
    );
    if (plan.kind === 'too-brief') {
      res.send(423, 'Interval Too Brief', { headers: { 'Min-Expires': String(plan.minExpires) } });
      return;
    }
    if (plan.kind === 'invalid') {
      res.send(400, plan.reason);
      return;
    }
    const who = outcome.identity;
    const at = now();
    const source = {
      address: req.source_address,
      port: Number(req.source_port),
      transport: transportOf(req),
      userAgent: req.get('User-Agent') ?? '',
      callId: req.get('Call-ID') ?? '',
      cseq: integer(req.get('CSeq')?.split(/\s+/)[0]) ?? 0,
    };
    const bindings = await storeBindings(deps.db, who, plan, source, at);
    if (bindings.length > deps.limits.maxBindings) {
      // over the cap: the oldest go first
      for (const old of bindings.slice(0, bindings.length - deps.limits.maxBindings)) {
        await deps.db.deleteFrom('registrations').where('id', '=', old.id).execute();
      }
    }
    const contact = contactHeader(bindings.slice(-deps.limits.maxBindings), at);
    res.send(200, { headers: { ...(contact ? { Contact: contact } : {}), Date: at.toUTCString() } });
  };
}
