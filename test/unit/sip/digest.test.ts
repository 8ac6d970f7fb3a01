// Digest authentication: the RFC test vectors, header parsing, challenges and nonces.
import { describe, expect, it } from 'vitest';
import { challenges, expectedResponse, ha1, parseCredentials, parseDigestHeader, sameDigest } from '../../../server/sip/digest.js';
import { NonceSigner } from '../../../server/sip/nonces.js';

describe('digest responses: RFC test vectors', () => {
  it('RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const c = parseCredentials(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    expect(c).toMatchObject({ username: 'Mufasa', algorithm: 'MD5', qop: 'auth', nc: '00000001' });
    expect(expectedResponse(c, 'GET', ha1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life'))).toBe(c.response);
  });

  it.each([
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ] as const)('RFC 7616 §3.9.1 (%s)', (algorithm, response) => {
    const c = parseCredentials(
      `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="${response}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
    )!;
    expect(c.algorithm).toBe(algorithm);
    expect(expectedResponse(c, 'GET', ha1(algorithm, 'Mufasa', 'http-auth@example.org', 'Circle of Life'))).toBe(response);
  });

  it('RFC 2069 form without qop, as old ATAs send it', () => {
    const h = ha1('MD5', '1001', 'acme.example', 'pw');
    const c = { username: '1001', realm: 'acme.example', nonce: 'n', uri: 'sip:acme.example', response: '', algorithm: 'MD5' as const };
    const response = expectedResponse(c, 'REGISTER', h);
    expect(expectedResponse({ ...c, response }, 'REGISTER', h)).toBe(response);
    expect(response).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('header parsing', () => {
  it.each([
    ['Basic dXNlcjpwYXNz'],
    ['Digest'],
    ['Digest username="a", realm="r", nonce="n", uri="u"'],
    ['Digest username="a", realm="r", nonce="n", uri="u", response="zz"'],
    ['Digest username="a", realm="r", nonce="n", uri="u", response="ab", algorithm=SHA-512'],
    ['Digest username="a", realm="r", nonce="n", uri="u", response="ab", qop=auth-int, nc=00000001, cnonce="c"'],
    ['Digest username="a", realm="r", nonce="n", uri="u", response="ab", qop=auth'],
    ['Digest username="a" realm="r"'],
    [`Digest username="${'a'.repeat(5000)}"`],
  ])('refuses %s', (header) => {
    expect(parseCredentials(header)).toBeUndefined();
  });

  it('reads quoted values with escapes and commas', () => {
    expect(parseDigestHeader('Digest username="a\\"b", realm="x, y",nonce=abc')).toEqual({ username: 'a"b', realm: 'x, y', nonce: 'abc' });
  });

  it('compares digests in constant time and by value', () => {
    expect(sameDigest('abc', 'abc')).toBe(true);
    expect(sameDigest('abc', 'abd')).toBe(false);
    expect(sameDigest('abc', 'abcd')).toBe(false);
  });
});

describe('challenges and nonces', () => {
  it('offers SHA-256 before MD5, both with qop=auth, and marks stale ones', () => {
    const [sha, md5] = challenges('acme.example', 'N', true);
    expect(sha).toBe('Digest realm="acme.example", nonce="N", algorithm=SHA-256, qop="auth", stale=true');
    expect(md5).toContain('algorithm=MD5');
  });

  it('verifies its own nonces, calls expired ones stale and forged ones invalid', () => {
    const signer = new NonceSigner(Buffer.alloc(32, 7), 300);
    const t0 = new Date('2026-11-23T10:00:00Z');
    const nonce = signer.issue(t0);
    expect(signer.check(nonce, new Date(t0.getTime() + 299_000))).toBe('valid');
    expect(signer.check(nonce, new Date(t0.getTime() + 301_000))).toBe('stale');
    expect(new NonceSigner(Buffer.alloc(32, 8), 300).check(nonce, t0)).toBe('invalid');
    const [ts, rand] = nonce.split('.');
    expect(signer.check(`${ts}.${rand}x.${nonce.split('.')[2]}`, t0)).toBe('invalid');
    expect(signer.check('garbage', t0)).toBe('invalid');
    expect(signer.expiresAt(nonce).getTime()).toBe(t0.getTime() + 300_000);
  });
});
