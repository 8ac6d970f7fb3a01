// Pure registration and call rules: what a REGISTER asks for, which device a
// binding is, and whether the account's trunks admit one more call.
import { describe, expect, it } from 'vitest';
import { looksOnNet, macHints, planRegister, trunkAdmits } from '../../../server/registrations/index.js';

const limits = { min: 60, default: 3600, max: 3600, maxBindings: 3 };

describe('planRegister', () => {
  it.each([
    [{ wildcard: false, contacts: [] }, { kind: 'fetch' }],
    [{ wildcard: true, expiresHeader: 0, contacts: [] }, { kind: 'remove-all' }],
    [{ wildcard: true, expiresHeader: 60, contacts: [] }, { kind: 'invalid' }],
    [{ wildcard: false, contacts: [{ uri: 'sip:a@h', expires: 30 }] }, { kind: 'too-brief', minExpires: 60 }],
    [{ wildcard: false, expiresHeader: 59, contacts: [{ uri: 'sip:a@h' }] }, { kind: 'too-brief', minExpires: 60 }],
    [{ wildcard: false, contacts: [{ uri: 'sip:a@h', expires: 86400 }] }, { kind: 'update', changes: [{ uri: 'sip:a@h', expiresSeconds: 3600 }] }],
    [{ wildcard: false, contacts: [{ uri: 'sip:a@h', expires: 0 }] }, { kind: 'update', changes: [{ uri: 'sip:a@h', expiresSeconds: 0 }] }],
    [{ wildcard: false, contacts: [{ uri: 'sip:a@h' }] }, { kind: 'update', changes: [{ uri: 'sip:a@h', expiresSeconds: 3600 }] }],
    [{ wildcard: false, contacts: Array.from({ length: 4 }, (_, i) => ({ uri: `sip:${i}@h` })) }, { kind: 'invalid' }],
  ])('%j → %j', (request, expected) => {
    expect(planRegister(request, limits)).toMatchObject(expected);
  });
});

describe('macHints', () => {
  it.each([
    ['urn:uuid:00000000-0000-1000-8000-001565AABBCC', undefined, ['001565aabbcc']],
    [undefined, 'Yealink SIP-T46U 108.86.0.20 00:15:65:12:34:56', ['001565123456']],
    [undefined, 'Grandstream HT802 1.0.43.11 c0-74-ad-01-02-03', ['c074ad010203']],
    [undefined, 'Linphone/5.2 (belle-sip/5.2)', []],
    ['urn:uuid:6f0b1c1e-2d6f-4b44-9a61-3b2bc2b0c7f1', 'Zoiper', ['3b2bc2b0c7f1']],
  ])('instance %s, UA %s → %j', (instance, ua, expected) => {
    expect(macHints(instance, ua)).toEqual(expected);
  });
});

describe('trunk limits (seed 003)', () => {
  const none = { inbound: null, outbound: null, twoWay: null };
  it.each([
    ['unlimited', none, { inbound: 50, outbound: 50 }, 'outbound', true],
    ['own kind has room', { inbound: 2, outbound: 2, twoWay: 0 }, { inbound: 0, outbound: 1 }, 'outbound', true],
    ['own kind full, no two-way', { inbound: 2, outbound: 2, twoWay: 0 }, { inbound: 0, outbound: 2 }, 'outbound', false],
    ['own kind full, two-way free', { inbound: 2, outbound: 2, twoWay: 1 }, { inbound: 0, outbound: 2 }, 'outbound', true],
    ['two-way used by inbound overflow', { inbound: 2, outbound: 2, twoWay: 1 }, { inbound: 3, outbound: 2 }, 'outbound', false],
    ['two-way only: 5 → 4 in + 1 out', { inbound: 0, outbound: 0, twoWay: 5 }, { inbound: 4, outbound: 0 }, 'outbound', true],
    ['two-way only: 5 → 2 in + 3 out, a sixth', { inbound: 0, outbound: 0, twoWay: 5 }, { inbound: 2, outbound: 3 }, 'inbound', false],
    ['inbound unlimited while outbound is limited', { inbound: null, outbound: 1, twoWay: 0 }, { inbound: 9, outbound: 0 }, 'inbound', true],
  ] as const)('%s', (_name, lim, usage, direction, expected) => {
    expect(trunkAdmits(lim, usage, direction)).toBe(expected);
  });

  it.each([['101', true], ['205', true], ['10000042', true], ['14155550123', false], ['+442079460018', false], ['911', true]])('%s on-net: %s', (dialed, expected) => {
    expect(looksOnNet(dialed)).toBe(expected);
  });
});
