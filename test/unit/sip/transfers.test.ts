// The edge's rewriting of a device's REFER for FreeSWITCH and its answers to
// session-timer refreshes (server/sip/transfers.ts), case by case.
import { describe, expect, it } from 'vitest';
import { DialogPairs, referToSwitch, timerAnswer } from '../../../server/sip/transfers.js';

const BOB = '4c14e6b1-a3df-4985-b230-7d78b4673abc';

describe('REFER toward FreeSWITCH', () => {
  const pairs = new DialogPairs();
  pairs.add({ callId: 'device-call', localTag: 'e1', remoteTag: 'd1' }, { callId: 'fs-call', localTag: 'e2', remoteTag: 'f2' });

  it.each([
    ['a blind transfer names the transferor; the device’s Referred-By is not used', '<sip:103@acme.example>', BOB, { 'Refer-To': '<sip:103@acme.example>', 'Referred-By': `<sip:${BOB}@callplane.invalid>` }],
    ['Replaces names FreeSWITCH’s dialog, with its tags as FreeSWITCH sees them', '<sip:103@acme.example?Replaces=device-call%3Bto-tag%3Dd1%3Bfrom-tag%3De1>', BOB,
      { 'Refer-To': '<sip:103@acme.example?Replaces=fs-call%3Bto-tag%3Df2%3Bfrom-tag%3De2>', 'Referred-By': `<sip:${BOB}@callplane.invalid>` }],
    ['Replaces naming an unknown call', '<sip:103@acme.example?Replaces=other%3Bto-tag%3Da%3Bfrom-tag%3Db>', BOB, 481],
    ['no transferor (a carrier)', '<sip:103@acme.example>', null, 403],
    ['a transferor that is not a subaccount id', '<sip:103@acme.example>', 'x>;evil', 403],
    ['no Refer-To', undefined, BOB, 400],
    ['a Refer-To that is not a SIP URI', '<tel:+14155550100>', BOB, 400],
  ] as const)('%s', (_case, referTo, transferor, expected) => {
    expect(referToSwitch(referTo, transferor, pairs)).toEqual(expected);
  });

  it('forgets a pair once its call ends', () => {
    const own = new DialogPairs();
    const end = own.add({ callId: 'c', localTag: 'a', remoteTag: 'b' }, { callId: 'f', localTag: 'x', remoteTag: 'y' });
    end();
    expect(referToSwitch('<sip:1@r?Replaces=c%3Bto-tag%3Db%3Bfrom-tag%3Da>', BOB, own)).toBe(481);
  });
});

describe('session-timer answers', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  it.each([
    ['the interval and refresher asked for, Require: timer', { 'Session-Expires': '1800;refresher=uas', Supported: 'replaces, timer' }, { 'Session-Expires': '1800;refresher=uas', Require: 'timer' }],
    ['the requester refreshes when it did not say', { 'Session-Expires': '900' }, { 'Session-Expires': '900;refresher=uac' }],
    ['nothing for a request without Session-Expires', { Supported: 'timer' }, {}],
  ] as const)('%s', (_case, request, expected) => {
    expect(timerAnswer(headers(request))).toEqual(expected);
  });
});
