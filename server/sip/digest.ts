// SIP digest authentication (RFC 3261 §22, RFC 7616 / RFC 8760): parsing the
// Authorization header, computing responses with MD5 and SHA-256, and
// formatting challenges. Pure: no clock, no I/O.
import crypto from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';
export const ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

const hashName: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };
// crypto.hash (Node ≥ 20.12) is the one-shot form, about half the cost of createHash; same digest
const H: (algorithm: DigestAlgorithm, value: string) => string = typeof crypto.hash === 'function'
  ? (algorithm, value) => crypto.hash(hashName[algorithm], value, 'hex')
  : (algorithm, value) => crypto.createHash(hashName[algorithm]).update(value, 'utf8').digest('hex');

/** Splits `Digest a="b", c=d` into its parameters; undefined when it is not a well-formed digest header. */
export function parseDigestHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || header.length > 4096) return undefined;
  const scheme = /^\s*Digest\s+/i.exec(header);
  if (!scheme) return undefined;
  const params: Record<string, string> = {};
  const param = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(?:,\s*|$)/y;
  param.lastIndex = scheme[0].length;
  while (param.lastIndex < header.length) {
    const m = param.exec(header);
    if (!m) return undefined;
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return Object.keys(params).length ? params : undefined;
}

/** The credentials in an Authorization / Proxy-Authorization header, or undefined if any part is missing or odd. */
export function parseCredentials(header: string | undefined): DigestCredentials | undefined {
  const p = parseDigestHeader(header);
  if (!p?.username || !p.realm || !p.nonce || !p.uri || !p.response) return undefined;
  const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
  if (algorithm !== 'MD5' && algorithm !== 'SHA-256') return undefined;
  if (p.qop !== undefined && p.qop !== 'auth') return undefined;
  if (p.qop === 'auth' && (!/^[0-9a-fA-F]{8}$/.test(p.nc ?? '') || !p.cnonce)) return undefined;
  if (!/^[0-9a-f]+$/i.test(p.response)) return undefined;
  return {
    username: p.username,
    realm: p.realm,
    nonce: p.nonce,
    uri: p.uri,
    response: p.response.toLowerCase(),
    algorithm,
    ...(p.qop ? { qop: 'auth' as const, nc: p.nc!, cnonce: p.cnonce! } : {}),
    ...(p.opaque ? { opaque: p.opaque } : {}),
  };
}

export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return H(algorithm, `${username}:${realm}:${password}`);
}

/** The response a client with this HA1 must send (RFC 7616 §3.4.1; RFC 2069 form without qop). */
export function expectedResponse(c: DigestCredentials, method: string, ha1Hex: string): string {
  const ha2 = H(c.algorithm, `${method}:${c.uri}`);
  return c.qop === 'auth'
    ? H(c.algorithm, `${ha1Hex}:${c.nonce}:${c.nc}:${c.cnonce}:auth:${ha2}`)
    : H(c.algorithm, `${ha1Hex}:${c.nonce}:${ha2}`);
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * One WWW-Authenticate / Proxy-Authenticate value per algorithm, in the order
 * given: RFC 8760 §2.4 has clients use the topmost one they support, so the
 * preferred algorithm goes first (SHA-256 by default).
 */
export function challenges(realm: string, nonce: string, stale: boolean, order: readonly DigestAlgorithm[] = ALGORITHMS): string[] {
  return order.map(
    (algorithm) => `Digest realm="${realm}", nonce="${nonce}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
  );
}

/**
 * The challenges offered to a client on `protocol`: the configured order, but
 * MD5 alone over WebSocket — browser SIP stacks (sip.js, JsSIP) know only MD5
 * and sip.js gives up on a SHA-256 challenge instead of trying the next one.
 */
export function algorithmsFor(protocol: string, configured: readonly DigestAlgorithm[]): readonly DigestAlgorithm[] {
  return /^wss?$/i.test(protocol) && configured.includes('MD5') ? ['MD5'] : configured;
}
