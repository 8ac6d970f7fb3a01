// Digest authentication of a SIP request against the subaccount it names.
// An unknown user is checked against a decoy password, so it costs the same and
// ends in the same answer as a wrong password: nothing tells the two apart.
import crypto from 'node:crypto';
import type { Database } from '../db/index.js';
import { type SipIdentity, registrationRepository as repo } from '../registrations/index.js';
import type { SecretBox } from '../secrets.js';
import { type DigestAlgorithm, expectedResponse, ha1, parseCredentials, sameDigest } from './digest.js';
import type { NonceSigner } from './nonces.js';

export type AuthOutcome =
  | { kind: 'ok'; identity: SipIdentity; username: string }
  /** answer 401/407 with a fresh nonce; `counts` when it is a failure for abuse accounting */
  | { kind: 'challenge'; stale: boolean; counts: boolean }
  /** wrong credentials: answer 403 */
  | { kind: 'rejected' };

/** How long a SIP identity (or its absence) is remembered: a password change elsewhere takes at most this long. */
export const IDENTITY_TTL_MS = 5000;

export class DigestAuthenticator {
  private readonly decoy = crypto.randomBytes(18).toString('base64');
  /** realm + user → the identity and its opened password, for IDENTITY_TTL_MS (a rebuildable per-process cache) */
  private readonly identities = new Map<string, { at: number; identity: SipIdentity | undefined; password: string }>();

  constructor(
    private readonly deps: { db: Database; box: SecretBox; signer: NonceSigner; algorithms: readonly DigestAlgorithm[]; now?: () => Date },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async authenticate(method: string, realm: string, header: string | undefined): Promise<AuthOutcome> {
    if (header === undefined) return { kind: 'challenge', stale: false, counts: false };
    const credentials = parseCredentials(header);
    if (!credentials || credentials.realm.toLowerCase() !== realm || !this.deps.algorithms.includes(credentials.algorithm)) {
      return { kind: 'rejected' };
    }
    const now = this.now();
    const nonceState = this.deps.signer.check(credentials.nonce, now);
    if (nonceState !== 'valid') return { kind: 'challenge', stale: nonceState === 'stale', counts: nonceState === 'invalid' };
    const { identity, password } = await this.identity(realm, credentials.username, now);
    const expected = expectedResponse(credentials, method, ha1(credentials.algorithm, credentials.username, credentials.realm, password));
    if (!sameDigest(expected, credentials.response) || !identity) return { kind: 'rejected' };
    if (credentials.qop === 'auth') {
      const fresh = await repo.acceptNonceCount(this.deps.db, credentials.nonce, parseInt(credentials.nc!, 16), this.deps.signer.expiresAt(credentials.nonce));
      if (!fresh) return { kind: 'challenge', stale: false, counts: true };
    }
    return { kind: 'ok', identity, username: credentials.username };
  }

  private async identity(realm: string, user: string, now: Date) {
    const key = `${realm}\n${user}`;
    const cached = this.identities.get(key);
    if (cached && now.getTime() - cached.at < IDENTITY_TTL_MS) return cached;
    const identity = await repo.sipIdentity(this.deps.db, realm, user);
    const entry = { at: now.getTime(), identity, password: identity ? this.deps.box.open(identity.passwordEnc) : this.decoy };
    if (this.identities.size > 100_000) this.identities.clear();
    this.identities.set(key, entry);
    return entry;
  }

  nonce(): string {
    return this.deps.signer.issue(this.now());
  }
}
