// Digest authentication of a SIP request against the subaccount it names.
// An unknown user is checked against a decoy password, so it costs the same and
// ends in the same answer as a wrong password: nothing tells the two apart.
// Identities come from the per-process snapshot (identities.ts); a miss or a
// mismatch is read from the database before the answer, so both cost one query.
import crypto from 'node:crypto';
import type { Database } from '../db/index.js';
import { type SipIdentity, registrationRepository as repo } from '../registrations/index.js';
import type { SecretBox } from '../secrets.js';
import { type DigestAlgorithm, type DigestCredentials, expectedResponse, ha1, parseCredentials, sameDigest } from './digest.js';
import { type KnownIdentity, SipIdentities } from './identities.js';
import type { NonceSigner } from './nonces.js';

/** A nonce-count the caller must still accept (in the same statement as its write) before acting. */
export interface NonceCount {
  nonce: string;
  nc: number;
  expiresAt: Date;
}

export type AuthOutcome =
  | { kind: 'ok'; identity: SipIdentity; username: string; nonceCount?: NonceCount | undefined }
  /** answer 401/407 with a fresh nonce; `counts` when it is a failure for abuse accounting */
  | { kind: 'challenge'; stale: boolean; counts: boolean }
  /** wrong credentials: answer 403 */
  | { kind: 'rejected' };

/** How long other processes' changes to SIP identities take at most to show here (as with the 5 s cache before). */
export const IDENTITY_MAX_AGE_MS = 5000;

export class DigestAuthenticator {
  private readonly decoy = crypto.randomBytes(18).toString('base64');
  readonly identities: SipIdentities;

  constructor(
    private readonly deps: {
      db: Database;
      box: SecretBox;
      signer: NonceSigner;
      algorithms: readonly DigestAlgorithm[];
      now?: () => Date;
      identities?: SipIdentities;
    },
  ) {
    this.identities = deps.identities ?? new SipIdentities({ db: deps.db, box: deps.box, maxAgeMs: IDENTITY_MAX_AGE_MS });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Checks the credentials. With `deferNonceCount` a qop=auth nonce-count is not
   * recorded here but handed back in the outcome: the caller accepts it together
   * with its write (registrar) and treats a refusal as a replay.
   */
  async authenticate(method: string, realm: string, header: string | undefined, options: { deferNonceCount?: boolean } = {}): Promise<AuthOutcome> {
    if (header === undefined) return { kind: 'challenge', stale: false, counts: false };
    const credentials = parseCredentials(header);
    if (!credentials || credentials.realm.toLowerCase() !== realm || !this.deps.algorithms.includes(credentials.algorithm)) {
      return { kind: 'rejected' };
    }
    const nonceState = this.deps.signer.check(credentials.nonce, this.now());
    if (nonceState !== 'valid') return { kind: 'challenge', stale: nonceState === 'stale', counts: nonceState === 'invalid' };
    const identity = await this.verify(method, realm, credentials);
    if (!identity) return { kind: 'rejected' };
    const nonceCount = credentials.qop === 'auth'
      ? { nonce: credentials.nonce, nc: parseInt(credentials.nc!, 16), expiresAt: this.deps.signer.expiresAt(credentials.nonce) }
      : undefined;
    if (nonceCount && !options.deferNonceCount && !(await this.acceptNonceCount(nonceCount))) {
      return { kind: 'challenge', stale: false, counts: true };
    }
    return { kind: 'ok', identity, username: credentials.username, ...(options.deferNonceCount ? { nonceCount } : {}) };
  }

  /** Records a nonce-count; false when it is a replay. */
  acceptNonceCount(count: NonceCount): Promise<boolean> {
    return repo.acceptNonceCount(this.deps.db, count.nonce, count.nc, count.expiresAt);
  }

  /** The identity whose password the response proves; the snapshot first, then the database on a miss or a mismatch. */
  private async verify(method: string, realm: string, credentials: DigestCredentials): Promise<SipIdentity | undefined> {
    const matches = (password: string) =>
      sameDigest(expectedResponse(credentials, method, ha1(credentials.algorithm, credentials.username, credentials.realm, password)), credentials.response);
    const cached = this.identities.cached(realm, credentials.username);
    // a miss is checked against the decoy too, so a miss and a mismatch do the same work
    if (matches(cached ? this.identities.password(cached) : this.decoy) && cached) return cached.identity;
    const fresh: KnownIdentity | undefined = await this.identities.fresh(realm, credentials.username);
    return matches(fresh ? this.identities.password(fresh) : this.decoy) && fresh ? fresh.identity : undefined;
  }

  nonce(): string {
    return this.deps.signer.issue(this.now());
  }
}
