// Provisioning URL keys and the HMACs that stand for them. A key is random and
// URL-safe; the database keeps its HMAC (the lookup) and a sealed copy (so the
// API can show the URL). Comparisons are constant-time over equal-length HMACs.
import crypto from 'node:crypto';

/** Keys look like this; anything else in the path is a wrong key (and still costs the same work). */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export function newKey(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** HMACs of keys (and of nonces) under the provisioning key derived from the master key. */
export class KeyHasher {
  /**
   * key → HMAC: a fleet presents the same few keys thousands of times; bounded, so made-up keys cannot grow it.
   * A hit only tells that this very key string came before, never anything about the MAC asked for.
   */
  private readonly hashes = new Map<string, string>();

  constructor(private readonly secret: Buffer) {}

  hash(key: string): string {
    let hash = this.hashes.get(key);
    if (hash === undefined) {
      hash = crypto.createHmac('sha256', this.secret).update(`key:${key}`).digest('hex');
      if (this.hashes.size >= MEMO_LIMIT) this.hashes.clear();
      this.hashes.set(key, hash);
    }
    return hash;
  }

  /** True when `presented` (an HMAC from hash()) equals `stored`; constant-time, and false for a missing `stored`. */
  matches(presented: string, stored: string | null | undefined): boolean {
    const a = Buffer.from(presented, 'hex');
    const b = Buffer.from(stored ?? DUMMY, 'hex');
    const same = a.length === b.length && crypto.timingSafeEqual(a, b);
    return same && stored !== null && stored !== undefined;
  }

  /** A MAC for short tokens (digest nonces). */
  sign(text: string): string {
    return crypto.createHmac('sha256', this.secret).update(`nonce:${text}`).digest('base64url').slice(0, 22);
  }
}

const DUMMY = '0'.repeat(64);
const MEMO_LIMIT = 1024;
