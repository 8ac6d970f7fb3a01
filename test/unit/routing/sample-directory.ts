// The directory the routing tests route against: three accounts in three
// countries, so every case in a table can be checked against one page of facts.
//
//   acme (GB, Europe/London, privacy none, local = +44 20)
//     alice 101 / 10000101  plan: everything but premium, caller ID +44 20 7946 0101
//     bob   102 / 10000102  plan: everything but premium; no caller-ID number (DID …0102 is shown)
//     carol 103 / 10000103  no charging plan (on-net and incoming only)
//     dave  104 / 10000104  plan: no incoming calls
//     erin  105 / 10000105  plan: no extensions, no network numbers
//     frank 106 / 10000106  plan: no public network
//     board 800 / 10000800  conference, 10 participants, moderator PIN
//   globex (US, America/New_York, privacy both, local = +1 212)
//     gary  101 / 10000201  plan: everything but premium, caller ID "Gary G" +1 212 555 0201
//     hank  102 / 10000202  plan: everything but premium
//   initech (DE, Europe/Berlin, privacy name)
//     ian   101 / 10000301  plan: everything but premium, caller ID +49 30 123456
import { type ChargingPlan, type ChargingPlanInput, chargingPlan } from '../../../server/billing/index.js';
import {
  type AccountEntry,
  Directory,
  type DirectorySnapshot,
  type HuntGroup,
  type IvrMenu,
  type NumberEntry,
  type Schedule,
  type SubaccountEntry,
} from '../../../server/routing/index.js';

const EVERYTHING: ChargingPlanInput['allow'] = {
  incoming: true,
  publicNetwork: true,
  extensions: true,
  networkNumbers: true,
  classes: { local: true, national: true, mobile: true, international: true, toll_free: true, premium: false },
};

export function plan(allow: Partial<ChargingPlanInput['allow']> = {}): ChargingPlan {
  return chargingPlan.parse({
    name: 'Routing test plan',
    allow: { ...EVERYTHING, ...allow },
    billing: 'postpaid',
    segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 },
    prices: {
      local: { kind: 'fixed', perMinuteMicros: 10_000 },
      national: { kind: 'fixed', perMinuteMicros: 20_000 },
      mobile: { kind: 'fixed', perMinuteMicros: 100_000 },
      international: { kind: 'relative', markupBasisPoints: 2_000 },
      toll_free: { kind: 'fixed', perMinuteMicros: 0 },
      premium: { kind: 'relative', markupBasisPoints: 5_000 },
    },
    currency: 'EUR',
  });
}

export const ACCOUNTS: AccountEntry[] = [
  { id: 'acme', country: 'GB', timezone: 'Europe/London', callerIdPrivacy: 'none', localPrefixes: ['+4420'] },
  { id: 'globex', country: 'US', timezone: 'America/New_York', callerIdPrivacy: 'both', localPrefixes: ['+1212'] },
  { id: 'initech', country: 'DE', timezone: 'Europe/Berlin', callerIdPrivacy: 'name', localPrefixes: [] },
];

function sub(
  id: string,
  accountId: string,
  extension: string,
  networkNumber: string,
  changes: Partial<SubaccountEntry> = {},
): SubaccountEntry {
  const name = id[0]?.toUpperCase() + id.slice(1);
  return {
    id,
    accountId,
    kind: 'phone',
    name,
    extension,
    networkNumber,
    callerIdName: null,
    callerIdNumber: null,
    chargingPlan: plan(),
    conference: null,
    ...changes,
  };
}

export const SUBACCOUNTS: SubaccountEntry[] = [
  sub('alice', 'acme', '101', '10000101', { callerIdNumber: '+442079460101' }),
  sub('bob', 'acme', '102', '10000102'),
  sub('carol', 'acme', '103', '10000103', { chargingPlan: null }),
  sub('dave', 'acme', '104', '10000104', { chargingPlan: plan({ incoming: false }) }),
  sub('erin', 'acme', '105', '10000105', { chargingPlan: plan({ extensions: false, networkNumbers: false }) }),
  sub('frank', 'acme', '106', '10000106', { chargingPlan: plan({ publicNetwork: false }) }),
  sub('board', 'acme', '800', '10000800', {
    kind: 'conference',
    conference: { maxParticipants: 10, hasModeratorPin: true },
  }),
  sub('gary', 'globex', '101', '10000201', { callerIdName: 'Gary G', callerIdNumber: '+12125550201' }),
  sub('hank', 'globex', '102', '10000202'),
  sub('ian', 'initech', '101', '10000301', { callerIdNumber: '+4930123456' }),
];

export const NUMBERS: NumberEntry[] = [
  { e164: '+442079460100', accountId: 'acme', destination: { kind: 'ivr_menu', id: 'main' } },
  { e164: '+442079460101', accountId: 'acme', destination: { kind: 'subaccount', id: 'alice' } },
  { e164: '+442079460102', accountId: 'acme', destination: { kind: 'subaccount', id: 'bob' } },
  { e164: '+442079460110', accountId: 'acme', destination: { kind: 'hunt_group', id: 'sales' } },
  { e164: '+442079460111', accountId: 'acme', destination: { kind: 'schedule', id: 'office' } },
  { e164: '+442079460120', accountId: 'acme', destination: { kind: 'conference', id: 'board' } },
  { e164: '+442079460130', accountId: 'acme', destination: { kind: 'number', e164: '+447400123456' } },
  { e164: '+442079460131', accountId: 'acme', destination: { kind: 'number', e164: '+12125550100' } },
  { e164: '+442079460140', accountId: 'acme', destination: null },
  { e164: '+442079460150', accountId: 'acme', destination: { kind: 'number', e164: '+442079460151' } },
  { e164: '+442079460151', accountId: 'acme', destination: { kind: 'number', e164: '+442079460150' } },
  { e164: '+442079460160', accountId: 'acme', destination: { kind: 'hunt_group', id: 'bob-only' } },
  { e164: '+442079460170', accountId: 'acme', destination: { kind: 'subaccount', id: 'gary' } },
  { e164: '+442079460180', accountId: 'acme', destination: { kind: 'subaccount', id: 'dave' } },
  { e164: '+12125550100', accountId: 'globex', destination: { kind: 'subaccount', id: 'gary' } },
];

export function huntGroup(changes: Partial<HuntGroup> = {}): HuntGroup {
  return {
    id: 'sales',
    accountId: 'acme',
    name: 'Sales',
    strategy: 'sequential',
    members: [
      { kind: 'subaccount', id: 'alice' },
      { kind: 'subaccount', id: 'bob' },
      { kind: 'external', e164: '+447400123456' },
    ],
    memberTimeoutSeconds: 20,
    totalTimeoutSeconds: 60,
    skipBusy: true,
    fallback: { kind: 'subaccount', id: 'carol' },
    ...changes,
  };
}

export const HUNT_GROUPS: HuntGroup[] = [
  huntGroup(),
  huntGroup({ id: 'bob-only', name: 'Bob only', strategy: 'simultaneous', members: [{ kind: 'subaccount', id: 'bob' }], fallback: null }),
];

export function menu(changes: Partial<IvrMenu> = {}): IvrMenu {
  return {
    id: 'main',
    accountId: 'acme',
    name: 'Main',
    greeting: 'main-greeting',
    invalidPrompt: 'main-invalid',
    timeoutPrompt: 'main-timeout',
    timeoutSeconds: 5,
    maxRetries: 2,
    allowExtensionDialing: true,
    options: {
      '1': { kind: 'subaccount', id: 'alice' },
      '2': { kind: 'subaccount', id: 'bob' },
      '3': { kind: 'ivr_menu', id: 'conferences' },
      '0': { kind: 'hunt_group', id: 'sales' },
    },
    fallback: { kind: 'subaccount', id: 'carol' },
    ...changes,
  };
}

export const IVR_MENUS: IvrMenu[] = [
  menu(),
  menu({
    id: 'conferences',
    name: 'Conferences',
    allowExtensionDialing: false,
    options: { '1': { kind: 'conference', id: 'board' }, '*': { kind: 'ivr_menu', id: 'main' } },
    fallback: null,
  }),
  menu({ id: 'closed', name: 'Closed', allowExtensionDialing: false, options: {}, fallback: null }),
];

export const OFFICE: Schedule = {
  id: 'office',
  accountId: 'acme',
  name: 'Office hours',
  weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' }],
  holidays: ['2026-12-25'],
  open: { kind: 'hunt_group', id: 'sales' },
  closed: { kind: 'ivr_menu', id: 'closed' },
};

export const SNAPSHOT: DirectorySnapshot = {
  accounts: ACCOUNTS,
  subaccounts: SUBACCOUNTS,
  numbers: NUMBERS,
  huntGroups: HUNT_GROUPS,
  ivrMenus: IVR_MENUS,
  schedules: [OFFICE],
};

export function sampleDirectory(changes: Partial<DirectorySnapshot> = {}): Directory {
  return new Directory({ ...SNAPSHOT, ...changes });
}

/** Wednesday 25 November 2026, 10:00 in London (GMT): the office is open. */
export const OFFICE_OPEN = new Date('2026-11-25T10:00:00Z');
/** Wednesday 25 November 2026, 20:00 in London: closed. */
export const OFFICE_CLOSED = new Date('2026-11-25T20:00:00Z');
