// Caller-ID privacy (seed 003: hide name, number, or both) applied to a call
// on its way out of the account. A hidden number becomes 'anonymous' in From
// with `privacy: 'id'`: the SIP edge then sends `Privacy: id` (RFC 3323) and
// keeps the real number only in P-Asserted-Identity towards trusted carriers,
// which need it for emergency services and lawful intercept.
import type { CallerIdPrivacy } from './routing.schemas.js';

export const ANONYMOUS_NAME = 'Anonymous';
export const ANONYMOUS_NUMBER = 'anonymous';

export interface Identity {
  name: string;
  /** null when the caller has no number to show on this path (e.g. no DID for an external call). */
  number: string | null;
}

export interface CallerId {
  name: string;
  number: string;
  /** 'id': send Privacy: id and strip P-Asserted-Identity at the trust boundary. */
  privacy: 'none' | 'id';
  /** The real number, for P-Asserted-Identity towards trusted peers; null when there is none. */
  assertedNumber: string | null;
}

const HIDES: Record<CallerIdPrivacy, { name: boolean; number: boolean }> = {
  none: { name: false, number: false },
  name: { name: true, number: false },
  number: { name: false, number: true },
  both: { name: true, number: true },
};

/** The caller ID a callee sees once the account's privacy setting is applied. */
export function callerIdAfterPrivacy(identity: Identity, privacy: CallerIdPrivacy): CallerId {
  const hides = HIDES[privacy];
  const name = hides.name ? ANONYMOUS_NAME : identity.name;
  if (identity.number === null) return { name, number: ANONYMOUS_NUMBER, privacy: 'none', assertedNumber: null };
  if (!hides.number) return { name, number: identity.number, privacy: 'none', assertedNumber: identity.number };
  return { name, number: ANONYMOUS_NUMBER, privacy: 'id', assertedNumber: identity.number };
}

/** Caller ID shown inside the account (and to emergency services): the identity as it is. */
export function callerIdAsIs(identity: Identity): CallerId {
  return callerIdAfterPrivacy(identity, 'none');
}
