// The registrar reads headers from drachtio-srf's header table instead of
// through req.get (which normalises the name on every call): both must give
// the same value for every standard header, compact forms and absent ones too.
import { describe, expect, it } from 'vitest';
import { header } from '../../../server/sip/message.js';
import { sipRequest } from '../../support/sip-peer.js';

const REGISTER = `REGISTER sip:example.test SIP/2.0
  v: SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bK1
  Via: SIP/2.0/TCP 192.0.2.8:5060;branch=z9hG4bK2
  From: <sip:alice@example.test>;tag=a
  To: <sip:alice@example.test>
  i: compact-call-id
  CSeq: 7 REGISTER
  m: <sip:alice@192.0.2.7:5062>;expires=600
  EXPIRES: 600
  user-agent: Phone/1.0 (x)
  Authorization: Digest username="alice", realm="example.test", nonce="n", uri="sip:example.test", response="00"
  Content-Length: 0
`;

describe('header', () => {
  const req = sipRequest(REGISTER);
  it.each([
    ['via', 'Via'],
    ['call-id', 'Call-ID'],
    ['contact', 'Contact'],
    ['expires', 'Expires'],
    ['user-agent', 'User-Agent'],
    ['authorization', 'Authorization'],
    ['cseq', 'CSeq'],
    ['to', 'To'],
    ['supported', 'Supported'],
  ] as const)('reads %s as req.get(%s) does', (name, asSent) => {
    expect(header(req, name)).toBe(req.get(asSent));
  });

  it('gives the folded value of a repeated header and undefined for an absent one', () => {
    expect(header(req, 'via')).toBe('SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bK1,SIP/2.0/TCP 192.0.2.8:5060;branch=z9hG4bK2');
    expect(header(req, 'call-id')).toBe('compact-call-id');
    expect(header(req, 'supported')).toBeUndefined();
  });

  it('asks req.get when the request has no header table (a hand-made request)', () => {
    const made = { get: (name: string) => (name === 'user-agent' ? 'Made/1' : undefined) } as unknown as Parameters<typeof header>[0];
    expect(header(made, 'user-agent')).toBe('Made/1');
  });
});
