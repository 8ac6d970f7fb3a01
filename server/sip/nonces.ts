// Digest nonces any callplane process can verify without shared memory: the
// issue time and a random part, signed with an HMAC key derived from the master
// key. Expired but genuine nonces are "stale" (the client retries silently,
// RFC 7616 §3.3); replayed nonce-counts are caught in the database.
import crypto from 'node:crypto';

export type NonceState = 'valid' | 'stale' | 'invalid';

/** Random bytes are drawn this many at a time (one call per 512 nonces, not one per nonce); each byte is used once. */
const POOL_BYTES = 9 * 512;

export class NonceSigner {
  private pool = Buffer.alloc(0);
  private used = 0;

  constructor(
    private readonly key: Buffer,
    private readonly lifetimeSeconds: number,
  ) {}

  issue(now: Date): string {
    if (this.used + 9 > this.pool.length) {
      this.pool = crypto.randomBytes(POOL_BYTES);
      this.used = 0;
    }
    const random = this.pool.toString('base64url', this.used, (this.used += 9));
    const body = `${Math.floor(now.getTime() / 1000).toString(36)}.${random}`;
    return `${body}.${this.mac(body)}`;
  }

  check(nonce: string, now: Date): NonceState {
    const parts = nonce.split('.');
    if (parts.length !== 3 || nonce.length > 80) return 'invalid';
    const body = `${parts[0]}.${parts[1]}`;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return 'invalid';
    const issued = parseInt(parts[0]!, 36) * 1000;
    if (!Number.isFinite(issued) || issued > now.getTime() + 5000) return 'invalid';
    return now.getTime() - issued > this.lifetimeSeconds * 1000 ? 'stale' : 'valid';
  }

  /** When a nonce stops being valid; nonce-count rows can be swept after it. */
  expiresAt(nonce: string): Date {
    return new Date(parseInt(nonce.split('.')[0] ?? '0', 36) * 1000 + this.lifetimeSeconds * 1000);
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}
