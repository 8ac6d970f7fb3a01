// The directory snapshot: the uniqueness it checks while building its maps,
// and the lookups routing relies on.
import { describe, expect, it } from 'vitest';
import { NUMBERS, SNAPSHOT, SUBACCOUNTS, huntGroup, sampleDirectory } from './sample-directory.js';

const alice = SUBACCOUNTS[0]!;

describe('Directory', () => {
  it.each([
    ['an extension twice in one account', { subaccounts: [...SUBACCOUNTS, { ...alice, id: 'alice-2', networkNumber: '10009999' }] }, 'extension'],
    ['a network number twice on the system', { subaccounts: [...SUBACCOUNTS, { ...alice, id: 'alice-2', accountId: 'globex', extension: '999' }] }, 'networkNumber'],
    ['a number twice', { numbers: [...NUMBERS, { ...NUMBERS[0]!, accountId: 'globex' }] }, 'number'],
    ['an account id twice', { accounts: [...SNAPSHOT.accounts, SNAPSHOT.accounts[0]!] }, 'account id'],
    ['a hunt group on a subaccount’s extension', { huntGroups: [huntGroup({ extension: '101' })] }, 'extension'],
    ['two hunt groups on one extension', { huntGroups: [huntGroup({ extension: '600' }), huntGroup({ id: 'other', extension: '600' })] }, 'extension'],
  ])('refuses %s', (_name, changes, field) => {
    expect(() => sampleDirectory(changes)).toThrow(expect.objectContaining({ code: 'conflict', field }));
  });

  it('lets two accounts use the same extension', () => {
    const directory = sampleDirectory();
    expect(directory.subaccountByExtension('acme', '101')?.id).toBe('alice');
    expect(directory.subaccountByExtension('globex', '101')?.id).toBe('gary');
  });

  it('finds network numbers across accounts and DIDs by E.164', () => {
    const directory = sampleDirectory();
    expect(directory.subaccountByNetworkNumber('10000201')?.id).toBe('gary');
    expect(directory.number('+442079460100')?.destination).toEqual({ kind: 'ivr_menu', id: 'main' });
  });

  it('dials a hunt group by its extension, beside the subaccounts', () => {
    const directory = sampleDirectory({ huntGroups: [huntGroup({ extension: '600' })] });
    expect(directory.extensionDestination('acme', '600')).toEqual({ kind: 'hunt_group', id: 'sales' });
    expect(directory.extensionDestination('acme', '102')).toEqual({ kind: 'subaccount', id: 'bob' });
    expect(directory.extensionDestination('globex', '600')).toBeUndefined();
  });

  it('takes the first DID routed straight to a subaccount as its primary number', () => {
    const directory = sampleDirectory();
    expect(directory.primaryNumberOf('bob')).toBe('+442079460102');
    expect(directory.primaryNumberOf('carol')).toBeUndefined();
  });
});
