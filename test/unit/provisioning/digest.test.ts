// HTTP digest for device credentials: a phone's correct answer passes; a wrong
// password, another URI, a forged or stale nonce do not.
import { describe, expect, it } from 'vitest';
import { challenge, verifyDigest } from '../../../server/provisioning/digest.js';
import { KeyHasher } from '../../../server/provisioning/keys.js';
import { digestAnswer } from '../../support/provision-client.js';

const signer = new KeyHasher(Buffer.alloc(32, 7));
const now = new Date('2026-11-23T12:00:00Z');
const creds = { user: 'phone1', password: 'digest-pass-1' };
const uri = '/p/key/001565aabb01.cfg';
const header = challenge(signer, now);

describe('provisioning digest', () => {
  const cases: [string, string, Date, boolean][] = [
    ['the right answer', digestAnswer(header, 'GET', uri, 'phone1', 'digest-pass-1'), now, true],
    ['a wrong password', digestAnswer(header, 'GET', uri, 'phone1', 'wrong-pass'), now, false],
    ['another user', digestAnswer(header, 'GET', uri, 'phone2', 'digest-pass-1'), now, false],
    ['an answer for another file', digestAnswer(header, 'GET', '/p/key/other.cfg', 'phone1', 'digest-pass-1').replace('/p/key/other.cfg', uri), now, false],
    ['a nonce older than five minutes', digestAnswer(header, 'GET', uri, 'phone1', 'digest-pass-1'), new Date(now.getTime() + 301_000), false],
    ['a forged nonce', digestAnswer(header.replace(/nonce="[^"]+"/, `nonce="${now.getTime().toString(36)}.forgedforgedforgedforg"`), 'GET', uri, 'phone1', 'digest-pass-1'), now, false],
    ['basic auth', 'Basic cGhvbmUxOmRpZ2VzdC1wYXNzLTE=', now, false],
  ];
  it.each(cases)('%s', (_name, authorization, at, expected) => {
    expect(verifyDigest(signer, { method: 'GET', uri, authorization }, creds, at)).toBe(expected);
  });
});
