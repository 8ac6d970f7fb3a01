// Caller-ID privacy (seed 003): what a callee sees for each setting.
import { describe, expect, it } from 'vitest';
import { type CallerId, type CallerIdPrivacy, callerIdAfterPrivacy } from '../../../server/routing/index.js';

const ALICE = { name: 'Alice', number: '+442079460101' };

describe('callerIdAfterPrivacy', () => {
  it.each<[CallerIdPrivacy, { name: string; number: string | null }, CallerId]>([
    ['none', ALICE, { name: 'Alice', number: '+442079460101', privacy: 'none', assertedNumber: '+442079460101' }],
    ['name', ALICE, { name: 'Anonymous', number: '+442079460101', privacy: 'none', assertedNumber: '+442079460101' }],
    ['number', ALICE, { name: 'Alice', number: 'anonymous', privacy: 'id', assertedNumber: '+442079460101' }],
    ['both', ALICE, { name: 'Anonymous', number: 'anonymous', privacy: 'id', assertedNumber: '+442079460101' }],
    ['none', { name: 'Alice', number: null }, { name: 'Alice', number: 'anonymous', privacy: 'none', assertedNumber: null }],
    ['both', { name: '', number: null }, { name: 'Anonymous', number: 'anonymous', privacy: 'none', assertedNumber: null }],
  ])('privacy %s on %j', (privacy, identity, callerId) => {
    expect(callerIdAfterPrivacy(identity, privacy)).toEqual(callerId);
  });
});
