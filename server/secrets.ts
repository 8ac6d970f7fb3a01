// The master key and what is derived from it: AES-256-GCM for secrets at rest
// (SIP passwords, conference passcodes) and HMAC keys for tokens and nonces.
// One key to share between processes; each use gets its own HKDF-derived key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type KeyPurpose = 'secret-box' | 'jwt' | 'sip-nonce' | 'provisioning';

export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  static fromBase64(value: string): MasterKey {
    const key = Buffer.from(value, 'base64');
    if (key.length !== 32) throw new Error('the master key must be 32 bytes');
    return new MasterKey(key);
  }

  /** The configured key, or the one kept in `<dataDir>/secret.key` (created on first use). */
  static load(configured: string | undefined, dataDir: string): { key: MasterKey; generated: boolean } {
    if (configured) return { key: MasterKey.fromBase64(configured), generated: false };
    const file = path.join(dataDir, 'secret.key');
    if (fs.existsSync(file)) return { key: MasterKey.fromBase64(fs.readFileSync(file, 'utf8').trim()), generated: false };
    fs.mkdirSync(dataDir, { recursive: true });
    const value = crypto.randomBytes(32).toString('base64');
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return { key: MasterKey.fromBase64(value), generated: true };
  }

  derive(purpose: KeyPurpose): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.key, Buffer.alloc(0), `callplane:${purpose}`, 32));
  }
}

/** Authenticated encryption of short secrets; the output is `v1.<base64(iv|tag|ciphertext)>`. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(master: MasterKey) {
    this.key = master.derive('secret-box');
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password from an alphabet without look-alike characters. */
export function randomPassword(length = 20): string {
  return Array.from({ length }, () => PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)]).join('');
}
