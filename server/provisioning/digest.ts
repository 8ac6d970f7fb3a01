// HTTP digest authentication (RFC 7616, MD5 and SHA-256, qop=auth) for devices
// that have per-device provisioning credentials. Nonces are a timestamp signed
// with an HMAC, so any process can check them; no replay table: a replayed
// response only re-fetches the same file, over the same checks.
import crypto from 'node:crypto';

export const DIGEST_REALM = 'callplane-provisioning';
const NONCE_TTL_MS = 300_000;

export interface NonceSigner {
  sign(text: string): string;
}

export function challenge(signer: NonceSigner, now: Date): string {
  const stamp = now.getTime().toString(36);
  const nonce = `${stamp}.${signer.sign(stamp)}`;
  return `Digest realm="${DIGEST_REALM}", qop="auth", algorithm=MD5, nonce="${nonce}"`;
}

/** The fields of an `Authorization: Digest …` header, or undefined when it is not one. */
export function parseDigest(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^Digest\s/i.test(header)) return undefined;
  const fields: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([a-zA-Z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    fields[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return fields;
}

export interface DigestRequest {
  method: string;
  uri: string;
  authorization: string | undefined;
}

/** Whether the request carries a valid digest response for these credentials. */
export function verifyDigest(
  signer: NonceSigner,
  request: DigestRequest,
  credentials: { user: string; password: string },
  now: Date,
): boolean {
  const f = parseDigest(request.authorization);
  if (!f || f.username !== credentials.user || f.realm !== DIGEST_REALM || f.uri !== request.uri) return false;
  if (!freshNonce(signer, f.nonce ?? '', now)) return false;
  const algorithm = (f.algorithm ?? 'MD5').toUpperCase();
  const h = algorithm === 'SHA-256' ? sha256 : algorithm === 'MD5' ? md5 : undefined;
  if (!h) return false;
  const ha1 = h(`${credentials.user}:${DIGEST_REALM}:${credentials.password}`);
  const ha2 = h(`${request.method}:${f.uri}`);
  const expected =
    f.qop === 'auth' ? h(`${ha1}:${f.nonce}:${f.nc ?? ''}:${f.cnonce ?? ''}:auth:${ha2}`) : h(`${ha1}:${f.nonce}:${ha2}`);
  const given = Buffer.from(f.response ?? '');
  return given.length === expected.length && crypto.timingSafeEqual(given, Buffer.from(expected));
}

function freshNonce(signer: NonceSigner, nonce: string, now: Date): boolean {
  const [stamp, mac] = nonce.split('.');
  if (!stamp || !mac) return false;
  const expected = Buffer.from(signer.sign(stamp));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return false;
  const age = now.getTime() - parseInt(stamp, 36);
  return age >= 0 && age <= NONCE_TTL_MS;
}

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
