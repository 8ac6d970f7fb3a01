// routeCall over the sample directory: every case of the routing issue as a
// row — extensions, network numbers, DIDs to each kind of destination,
// external classes, emergency, calls from carrier trunks, and every reject.
import { describe, expect, it } from 'vitest';
import {
  type RejectCause,
  type RouteResult,
  type Step,
  type TrunkCaller,
  REJECT_CAUSES,
  rejection,
  routeCall,
} from '../../../server/routing/index.js';
import { HUNT_GROUPS, NUMBERS, OFFICE_CLOSED, OFFICE_OPEN, huntGroup, sampleDirectory } from './sample-directory.js';

const directory = sampleDirectory();

function trunk(accountId: string | null = null, number = '+33612345678'): TrunkCaller {
  return { kind: 'trunk', trunkId: 'carrier-1', accountId, caller: { name: 'Far End', number } };
}

interface Options {
  busy?: string[];
  now?: Date;
  huntCursors?: Map<string, number>;
  in?: typeof directory;
}

function route(from: string | TrunkCaller, dialed: string, options: Options = {}): RouteResult {
  return routeCall(
    options.in ?? directory,
    {
      from: typeof from === 'string' ? { kind: 'subaccount', subaccountId: from } : from,
      dialed,
      busy: new Set(options.busy),
      huntCursors: options.huntCursors ?? new Map(),
      random: () => 0,
    },
    options.now ?? OFFICE_OPEN,
  );
}

const bridge = (subaccountId: string): Step => ({ kind: 'bridge_subaccount', subaccountId });
const SALES_HUNT: Step[] = [
  {
    kind: 'hunt',
    huntGroupId: 'sales',
    accountId: 'acme',
    rounds: [
      { targets: [{ kind: 'subaccount', subaccountId: 'alice' }], timeoutSeconds: 20 },
      { targets: [{ kind: 'subaccount', subaccountId: 'bob' }], timeoutSeconds: 20 },
      { targets: [{ kind: 'external', e164: '+447400123456', class: 'mobile' }], timeoutSeconds: 20 },
    ],
    nextCursor: null,
  },
  bridge('carol'),
];

describe('routeCall from a subaccount, on-net', () => {
  it.each<[string, string, string, string, Step[], Date?]>([
    ['a short extension in the same account', 'alice', '102', 'extension', [bridge('bob')]],
    ['an extension written with separators', 'alice', '1-02', 'extension', [bridge('bob')]],
    ['the same extension number in another account reaches that account’s own', 'hank', '101', 'extension', [bridge('gary')]],
    ['a conference subaccount by extension', 'alice', '800', 'extension', [{ kind: 'conference', subaccountId: 'board', maxParticipants: 10, hasModeratorPin: true }]],
    ['a network number in another account (extended local)', 'gary', '10000101', 'network', [bridge('alice')]],
    ['a network number in the caller’s own account', 'alice', '10000102', 'extension', [bridge('bob')]],
    ['a DID of the caller’s account dialed as E.164 stays on-net', 'alice', '+442079460102', 'extension', [bridge('bob')]],
    ['a DID of the caller’s account dialed nationally', 'alice', '020 7946 0102', 'extension', [bridge('bob')]],
    ['a DID of another account is a network call', 'gary', '+442079460101', 'network', [bridge('alice')]],
    ['a DID routed to an IVR menu', 'alice', '+442079460100', 'extension', [{ kind: 'ivr', menuId: 'main' }]],
    ['a DID routed to a hunt group, then its fallback', 'hank', '+442079460110', 'network', SALES_HUNT],
    ['a DID routed to a conference', 'alice', '+442079460120', 'extension', [{ kind: 'conference', subaccountId: 'board', maxParticipants: 10, hasModeratorPin: true }]],
    ['a DID forwarded to an external number, paid by its account', 'gary', '+442079460130', 'network', [{ kind: 'external', e164: '+447400123456', class: 'mobile', accountId: 'acme' }]],
    ['a DID forwarded to a DID of another account', 'alice', '+442079460131', 'extension', [bridge('gary')]],
    ['office hours open: the schedule picks the hunt group', 'alice', '+442079460111', 'extension', SALES_HUNT, OFFICE_OPEN],
    ['office hours closed: the schedule picks the closed menu', 'alice', '+442079460111', 'extension', [{ kind: 'ivr', menuId: 'closed' }], OFFICE_CLOSED],
    ['a subaccount without a charging plan still calls on-net', 'carol', '101', 'extension', [bridge('alice')]],
  ])('%s', (_name, from, dialed, cls, steps, now) => {
    expect(route(from, dialed, { now })).toMatchObject({
      outcome: 'route',
      callClass: cls,
      direction: 'outgoing',
      steps,
      billing: { onNet: true, class: cls, subaccountId: from },
    });
  });

  it('reaches a hunt group by its extension, as it would a subaccount', () => {
    const withExtension = sampleDirectory({ huntGroups: [huntGroup({ extension: '600' }), ...HUNT_GROUPS.slice(1)] });
    expect(route('alice', '600', { in: withExtension })).toMatchObject({ outcome: 'route', callClass: 'extension', steps: SALES_HUNT });
    expect(route('gary', '600', { in: withExtension })).toMatchObject({ outcome: 'reject', reject: 'unallocated_number' });
  });

  it('leaves busy members out of a hunt that skips them', () => {
    const result = route('alice', '+442079460110', { busy: ['alice'] });
    expect(result).toMatchObject({ steps: [{ kind: 'hunt', rounds: [{ targets: [{ subaccountId: 'bob' }] }, {}] }, bridge('carol')] });
  });

  it('leaves out hunt members that cannot take the call: refusing incoming, another account, a conference, gone', () => {
    const members = ['dave', 'gary', 'board', 'ghost', 'alice'].map((id) => ({ kind: 'subaccount' as const, id }));
    const withStrangers = sampleDirectory({ huntGroups: [huntGroup({ members, fallback: null })] });
    expect(route('bob', '+442079460110', { in: withStrangers })).toMatchObject({
      steps: [{ kind: 'hunt', rounds: [{ targets: [{ kind: 'subaccount', subaccountId: 'alice' }], timeoutSeconds: 20 }] }],
    });
  });

  it('starts a round-robin hunt after the stored cursor and says where the next one starts', () => {
    const roundRobin = sampleDirectory({ huntGroups: [huntGroup({ strategy: 'round_robin' }), ...HUNT_GROUPS.slice(1)] });
    const result = route('carol', '+442079460110', { in: roundRobin, huntCursors: new Map([['sales', 0]]) });
    expect(result).toMatchObject({
      steps: [{ kind: 'hunt', nextCursor: 1, rounds: [{ targets: [{ subaccountId: 'bob' }] }, {}, {}] }, bridge('carol')],
    });
  });

  it('lets a hunt ring even when its fallback is broken, then plays the reject', () => {
    const broken = sampleDirectory({ huntGroups: [huntGroup({ fallback: { kind: 'subaccount', id: 'ghost' } }), ...HUNT_GROUPS.slice(1)] });
    const result = route('alice', '+442079460110', { in: broken });
    expect(result).toMatchObject({ steps: [{ kind: 'hunt' }, { kind: 'reject', reject: { reject: 'unallocated_number' } }] });
  });

  it('refuses a chain of more than 8 forwards as a loop', () => {
    const chain = Array.from({ length: 10 }, (_, i) => ({
      e164: `+4420794602${String(i).padStart(2, '0')}`,
      accountId: 'acme',
      destination: { kind: 'number' as const, e164: `+4420794602${String(i + 1).padStart(2, '0')}` },
    }));
    const long = sampleDirectory({ numbers: [...NUMBERS, ...chain] });
    expect(route('alice', '+442079460200', { in: long })).toMatchObject({
      reject: 'routing_loop',
      message: expect.stringMatching(/^more than 8 destinations chained/),
    });
  });
});

describe('routeCall from a subaccount, to the public network', () => {
  it.each<[string, string, string, string, string]>([
    ['a London number from London is local', 'alice', '020 7946 0018', '+442079460018', 'local'],
    ['a Leeds number from London is national', 'alice', '0113 496 0000', '+441134960000', 'national'],
    ['a UK mobile', 'alice', '07400 123456', '+447400123456', 'mobile'],
    ['a UK freephone', 'alice', '0800 123 4567', '+448001234567', 'toll_free'],
    ['a French mobile with +', 'alice', '+33 6 12 34 56 78', '+33612345678', 'international'],
    ['a French mobile with the UK international prefix 00', 'alice', '00 33 6 12 34 56 78', '+33612345678', 'international'],
    ['a French mobile with the US international prefix 011', 'gary', '011 33 6 12 34 56 78', '+33612345678', 'international'],
    ['a French mobile with 00 from the US', 'gary', '00 33 6 12 34 56 78', '+33612345678', 'international'],
    ['a Manhattan number from a Manhattan account is local', 'gary', '(212) 555-0123', '+12125550123', 'local'],
    ['a Boston number from a Manhattan account is national', 'gary', '617 555 0100', '+16175550100', 'national'],
    ['a US toll-free number with the 1 prefix', 'gary', '1 800 234 5678', '+18002345678', 'toll_free'],
    ['a Canadian number from the US is international', 'gary', '+1 416 555 0123', '+14165550123', 'international'],
    ['a German mobile from Germany', 'ian', '0151 12345678', '+4915112345678', 'mobile'],
    ['a Berlin number from a German account without local prefixes is national', 'ian', '030 1234567', '+49301234567', 'national'],
  ])('%s', (_name, from, dialed, e164, cls) => {
    const account = from === 'alice' ? 'acme' : from === 'gary' ? 'globex' : 'initech';
    expect(route(from, dialed)).toMatchObject({
      outcome: 'route',
      callClass: cls,
      steps: [{ kind: 'external', e164, class: cls, accountId: account }],
      billing: { onNet: false, class: cls, subaccountId: from },
    });
  });
});

describe('routeCall to emergency numbers', () => {
  it.each([
    ['112 in the UK', 'alice', '112', 'GB'],
    ['999 in the UK', 'alice', '999', 'GB'],
    ['911 in the US', 'gary', '911', 'US'],
    ['112 from a subaccount without a charging plan', 'carol', '112', 'GB'],
    ['112 from a subaccount whose plan refuses the public network', 'frank', '112', 'GB'],
  ])('%s is an emergency call, never refused and never billed', (_name, from, dialed, country) => {
    expect(route(from, dialed)).toMatchObject({
      outcome: 'route',
      callClass: 'emergency',
      steps: [{ kind: 'emergency', dialed, country }],
      billing: { onNet: false, class: null },
    });
  });

  it('999 is not an emergency number in the US: it is an unknown extension there', () => {
    expect(route('gary', '999')).toMatchObject({ outcome: 'reject', reject: 'unallocated_number' });
  });

  it('shows emergency services the real caller ID even when the account hides it', () => {
    expect(route('gary', '911')).toMatchObject({ callerId: { name: 'Gary G', number: '+12125550201', privacy: 'none' } });
  });
});

describe('routeCall caller ID', () => {
  it.each([
    ['an extension call shows the extension', 'alice', '102', { name: 'Alice', number: '101', privacy: 'none' }],
    ['privacy applies to calls leaving the account, not within it', 'gary', '102', { name: 'Gary G', number: '101', privacy: 'none' }],
    ['a network call shows the network number', 'alice', '10000201', { name: 'Alice', number: '10000101', privacy: 'none' }],
    ['an external call shows the caller-ID number', 'alice', '07400 123456', { name: 'Alice', number: '+442079460101', privacy: 'none' }],
    ['without a caller-ID number, the first DID that rings the subaccount', 'bob', '07400 123456', { name: 'Bob', number: '+442079460102' }],
    ['privacy "both" hides name and number', 'gary', '617 555 0100', { name: 'Anonymous', number: 'anonymous', privacy: 'id', assertedNumber: '+12125550201' }],
    ['privacy "both" on a network call', 'gary', '10000101', { name: 'Anonymous', number: 'anonymous', privacy: 'id', assertedNumber: '10000201' }],
    ['privacy "name" hides only the name', 'ian', '0151 12345678', { name: 'Anonymous', number: '+4930123456', privacy: 'none' }],
  ])('%s', (_name, from, dialed, callerId) => {
    expect(route(from, dialed)).toMatchObject({ outcome: 'route', callerId });
  });
});

describe('routeCall from a carrier trunk', () => {
  it.each<[string, TrunkCaller, string, string, Step[]]>([
    ['a DID in E.164', trunk(), '+442079460101', 'international', [bridge('alice')]],
    ['a DID in E.164 without the +', trunk(), '442079460101', 'international', [bridge('alice')]],
    ['a DID in national form on the account’s own trunk', trunk('acme'), '020 7946 0101', 'international', [bridge('alice')]],
    ['a caller from a UK mobile is a mobile-class incoming call', trunk(null, '07400123456'), '+442079460101', 'mobile', [bridge('alice')]],
    ['an anonymous caller counts as national', trunk(null, 'anonymous'), '+442079460101', 'national', [bridge('alice')]],
    ['a DID routed to an IVR menu', trunk(), '+442079460100', 'international', [{ kind: 'ivr', menuId: 'main' }]],
    ['a DID routed to a hunt group', trunk(), '+442079460110', 'international', SALES_HUNT],
  ])('%s', (_name, from, dialed, cls, steps) => {
    expect(route(from, dialed)).toMatchObject({
      outcome: 'route',
      callClass: cls,
      direction: 'incoming',
      steps,
      callerId: { name: 'Far End', number: from.caller.number, privacy: 'none' },
      billing: { onNet: false, class: cls, subaccountId: null },
    });
  });
});

describe('routeCall rejects', () => {
  it.each<[string, string | TrunkCaller, string, RejectCause, number, number, string[]?]>([
    ['an extension nobody has', 'alice', '555', 'unallocated_number', 404, 1],
    ['a network number nobody has', 'alice', '10999999', 'unallocated_number', 404, 1],
    ['a DID that is not routed anywhere', 'alice', '+442079460140', 'unallocated_number', 404, 1],
    ['a carrier call to a number not on the system', trunk(), '+442079460199', 'unallocated_number', 404, 1],
    ['a carrier call to an unrouted DID', trunk(), '+442079460140', 'unallocated_number', 404, 1],
    ['a customer trunk reaching another account’s DID', trunk('globex'), '+442079460101', 'unallocated_number', 404, 1],
    ['letters', 'alice', '12ab', 'invalid_number', 484, 28],
    ['a number too short to be valid', 'alice', '+4420794601', 'invalid_number', 484, 28],
    ['an empty dial string', 'alice', ' ', 'invalid_number', 484, 28],
    ['premium, which the plan denies', 'alice', '0909 879 0000', 'not_allowed', 403, 21],
    ['the public network, which the plan denies', 'frank', '07400 123456', 'not_allowed', 403, 21],
    ['the public network without a charging plan', 'carol', '07400 123456', 'not_allowed', 403, 21],
    ['an extension, which the plan denies', 'erin', '101', 'not_allowed', 403, 21],
    ['a network number, which the plan denies', 'erin', '10000201', 'not_allowed', 403, 21],
    ['a callee whose plan refuses incoming calls', 'alice', '104', 'not_allowed', 403, 21],
    ['a carrier call to a callee who refuses incoming calls', trunk(), '+442079460180', 'not_allowed', 403, 21],
    ['a DID pointing into another account', 'alice', '+442079460170', 'not_allowed', 403, 21],
    ['an unknown calling subaccount', 'nobody', '101', 'not_allowed', 403, 21],
    ['two numbers forwarded to each other', 'alice', '+442079460150', 'routing_loop', 482, 25],
    ['a hunt whose only member is busy and that has no fallback', 'alice', '+442079460160', 'busy', 486, 17, ['bob']],
  ])('%s → %s', (_name, from, dialed, cause, sipStatus, q850, busy) => {
    expect(route(from, dialed, { busy })).toEqual({ outcome: 'reject', reject: cause, sipStatus, q850, message: expect.any(String) });
  });

  it('says which class the plan denies', () => {
    expect(route('alice', '0909 879 0000')).toMatchObject({ message: 'the charging plan does not allow premium calls' });
  });

  it('names the loop it found', () => {
    expect(route('alice', '+442079460150')).toMatchObject({
      message: 'routing loops: number:+442079460151 → number:+442079460150 → number:+442079460151',
    });
  });

  const SIGNALLING: Record<RejectCause, [sipStatus: number, q850: number]> = {
    unallocated_number: [404, 1],
    invalid_number: [484, 28],
    not_allowed: [403, 21],
    insufficient_funds: [402, 21],
    trunk_limit: [503, 34],
    routing_loop: [482, 25],
    busy: [486, 17],
  };

  it.each(REJECT_CAUSES.map((cause) => [cause, ...SIGNALLING[cause]] as const))(
    '%s maps to SIP %i and Q.850 cause %i (the switch builds insufficient funds and trunk limit too)',
    (cause, sipStatus, q850) => {
      expect(rejection(cause, 'why')).toEqual({ outcome: 'reject', reject: cause, sipStatus, q850, message: 'why' });
    },
  );
});
