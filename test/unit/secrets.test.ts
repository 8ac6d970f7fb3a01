// Secrets at rest: sealing round-trips, tampering is detected, keys differ by purpose.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MasterKey, SecretBox, randomPassword } from '../../server/secrets.js';

const key = MasterKey.fromBase64(crypto.randomBytes(32).toString('base64'));

describe('secret box', () => {
  it('seals a SIP password so that the stored text does not contain it, and opens it again', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('hunter2-sip-password');
    expect(sealed).not.toContain('hunter2');
    expect(box.seal('hunter2-sip-password')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('hunter2-sip-password');
  });

  it('refuses a tampered ciphertext, and one sealed under another key', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('secret');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`v1.${raw.toString('base64')}`)).toThrow();
    const other = new SecretBox(MasterKey.fromBase64(crypto.randomBytes(32).toString('base64')));
    expect(() => other.open(sealed)).toThrow();
  });

  it('derives a different key per purpose', () => {
    expect(key.derive('jwt').equals(key.derive('secret-box'))).toBe(false);
  });

  it('generates the key once into the data dir (mode 0600) and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-key-'));
    const first = MasterKey.load(undefined, dir);
    const second = MasterKey.load(undefined, dir);
    expect([first.generated, second.generated]).toEqual([true, false]);
    expect(first.key.derive('jwt').equals(second.key.derive('jwt'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('makes passwords from an alphabet without look-alikes', () => {
    const pw = randomPassword(200);
    expect(pw).toHaveLength(200);
    expect(pw).not.toMatch(/[0O1lI]/);
  });
});
