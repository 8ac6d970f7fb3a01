// The checks the call-flows API makes before saving, over routing's sample
// directory: destinations in the account, hunt members, chains that lead back.
import { describe, expect, it } from 'vitest';
import { chainBack, destinationProblem, memberProblem, snapshotWith } from '../../../server/callflows/checks.js';
import { Directory, type Destination, type HuntMember } from '../../../server/routing/index.js';
import { OFFICE, SNAPSHOT, huntGroup, sampleDirectory } from '../routing/sample-directory.js';

const directory = sampleDirectory();
const acme = { id: 'acme', country: 'GB' };

describe('destinationProblem', () => {
  it.each<[string, Destination, string | undefined]>([
    ['a subaccount of the account', { kind: 'subaccount', id: 'alice' }, undefined],
    ['a subaccount of another account', { kind: 'subaccount', id: 'gary' }, 'the subaccount belongs to another account'],
    ['a hunt group nobody has', { kind: 'hunt_group', id: 'nope' }, 'no such hunt group in this account'],
    ['a conference that is a phone', { kind: 'conference', id: 'alice' }, 'not a conference subaccount'],
    ['a conference', { kind: 'conference', id: 'board' }, undefined],
    ['a valid number', { kind: 'number', e164: '+447400123456' }, undefined],
    ['a number nobody can have', { kind: 'number', e164: '+99912345678' }, 'not a valid phone number'],
  ])('%s', (_name, destination, problem) => {
    expect(destinationProblem(directory, acme, destination)).toBe(problem);
  });
});

describe('memberProblem', () => {
  it.each<[string, HuntMember[], { field: string } | undefined]>([
    ['phones and an external number', [{ kind: 'subaccount', id: 'alice' }, { kind: 'external', e164: '+447400123456' }], undefined],
    ['a conference', [{ kind: 'subaccount', id: 'board' }], { field: 'members.0.id' }],
    ['someone of another account', [{ kind: 'subaccount', id: 'alice' }, { kind: 'subaccount', id: 'gary' }], { field: 'members.1.id' }],
    ['the same number twice', [{ kind: 'external', e164: '+447400123456' }, { kind: 'external', e164: '+447400123456' }], { field: 'members.1.e164' }],
  ])('%s', (_name, members, problem) => {
    expect(memberProblem(directory, acme, members)).toEqual(problem && expect.objectContaining(problem));
  });
});

describe('chainBack', () => {
  it('finds a hunt fallback that comes back through a schedule', () => {
    const looping = new Directory(snapshotWith(SNAPSHOT, { huntGroup: huntGroup({ fallback: { kind: 'schedule', id: 'office' } }) }));
    expect(chainBack(looping, { kind: 'hunt_group', id: 'sales' }, { kind: 'schedule', id: 'office' })).toEqual([
      'hunt group Sales',
      'schedule Office hours',
      'hunt group Sales',
    ]);
  });

  it('finds a schedule that leads back to itself through a DID', () => {
    const looping = new Directory(snapshotWith(SNAPSHOT, { schedule: { ...OFFICE, closed: { kind: 'number', e164: '+442079460111' } } }));
    expect(chainBack(looping, { kind: 'schedule', id: 'office' }, { kind: 'number', e164: '+442079460111' })).toEqual([
      'schedule Office hours',
      'number +442079460111',
      'schedule Office hours',
    ]);
  });

  it('stops at IVR menus: the caller chooses there', () => {
    expect(chainBack(directory, { kind: 'schedule', id: 'office' }, { kind: 'ivr_menu', id: 'closed' })).toBeUndefined();
  });
});
