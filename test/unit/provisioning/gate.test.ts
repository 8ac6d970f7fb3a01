// The provisioning gate, case by case: which requests are refused (and counted
// as misses), which reach a device, which get the account's common files.
import { describe, expect, it } from 'vitest';
import { type GateInput, decide } from '../../../server/provisioning/gate.js';
import { fakeYealink } from '../../support/fake-vendor.js';

const A = 'account-a';
const B = 'account-b';
const device = { id: 'dev-1', accountId: A, vendor: 'yealink', allow: [] as string[] };
const named = { module: fakeYealink, mac: '001565aabb01' };
const ok: GateInput = { banned: false, identified: named, keyAccount: { id: A, allow: [] }, device, keyMatchesDevice: true, allowed: () => true };

const cases: [string, Partial<GateInput>, ReturnType<typeof decide>][] = [
  ['right key, own MAC', {}, { kind: 'device', accountId: A, deviceId: 'dev-1' }],
  ['banned source, even with everything right', { banned: true }, { kind: 'refuse', reason: 'banned', miss: false }],
  ['a file no vendor asks for', { identified: undefined }, { kind: 'refuse', reason: 'unknown_file', miss: true }],
  ['wrong key, known MAC', { keyAccount: undefined, keyMatchesDevice: false }, { kind: 'refuse', reason: 'bad_key', miss: true }],
  ['wrong key, unknown MAC', { keyAccount: undefined, keyMatchesDevice: false, device: undefined }, { kind: 'refuse', reason: 'bad_key', miss: true }],
  ['right key, unknown MAC: discovered', { device: undefined, keyMatchesDevice: false }, { kind: 'refuse', reason: 'unknown_mac', miss: true, accountId: A, discovered: true }],
  ['right key of another account', { keyAccount: { id: B, allow: [] }, keyMatchesDevice: false }, { kind: 'refuse', reason: 'other_account', miss: true, accountId: B }],
  ['User-Agent MAC differs from the path’s', { identified: { ...named, userAgentMac: '001565aabb02' } }, { kind: 'refuse', reason: 'ua_mismatch', miss: true }],
  ['User-Agent MAC equals the path’s', { identified: { ...named, userAgentMac: '001565aabb01' } }, { kind: 'device', accountId: A, deviceId: 'dev-1' }],
  ['device outside its account’s allow list', { device: { ...device, allow: ['10.0.0.0/8'] }, allowed: () => false }, { kind: 'refuse', reason: 'not_allowed', miss: true, accountId: A, deviceId: 'dev-1' }],
  ['device of another vendor', { device: { ...device, vendor: 'polycom' } }, { kind: 'refuse', reason: 'vendor_mismatch', miss: true, accountId: A, deviceId: 'dev-1' }],
  ['common file with the right key', { identified: { module: fakeYealink }, device: undefined }, { kind: 'common', accountId: A }],
  ['common file with a wrong key', { identified: { module: fakeYealink }, device: undefined, keyAccount: undefined }, { kind: 'refuse', reason: 'bad_key', miss: true }],
  [
    'common file outside the allow list',
    { identified: { module: fakeYealink }, device: undefined, keyAccount: { id: A, allow: ['10.0.0.0/8'] }, allowed: () => false },
    { kind: 'refuse', reason: 'not_allowed', miss: true, accountId: A },
  ],
  [
    'unknown MAC outside the allow list is not discovered',
    { device: undefined, keyAccount: { id: A, allow: ['10.0.0.0/8'] }, allowed: () => false },
    { kind: 'refuse', reason: 'not_allowed', miss: true, accountId: A },
  ],
];

describe('provisioning gate', () => {
  it.each(cases)('%s', (_name, change, expected) => {
    expect(decide({ ...ok, ...change })).toEqual(expected);
  });
});
