// The routing schemas the API will accept: defaults, and what they refuse.
import { describe, expect, it } from 'vitest';
import { routingSchemas } from '../../../server/routing/index.js';

const ID = '00000000-0000-4000-8000-000000000001';
const ACCOUNT = '00000000-0000-4000-8000-000000000002';
const ALICE = { kind: 'subaccount', id: '00000000-0000-4000-8000-000000000003' } as const;

describe('routing schemas', () => {
  it('fills a hunt group’s defaults: 20 s per member, 60 s in all, skip busy, no fallback', () => {
    const group = routingSchemas.huntGroup.parse({ id: ID, accountId: ACCOUNT, name: 'Sales', strategy: 'sequential', members: [ALICE] });
    expect(group).toMatchObject({ memberTimeoutSeconds: 20, totalTimeoutSeconds: 60, skipBusy: true, fallback: null });
  });

  it('fills an IVR menu’s defaults and takes options for some keys only', () => {
    const menu = routingSchemas.ivrMenu.parse({
      id: ID, accountId: ACCOUNT, name: 'Main', greeting: 'g', invalidPrompt: 'i', timeoutPrompt: 't', options: { '1': ALICE },
    });
    expect(menu).toMatchObject({ timeoutSeconds: 5, maxRetries: 3, allowExtensionDialing: false, fallback: null });
  });

  it.each([
    ['a hunt group with no members', routingSchemas.huntGroup, { id: ID, accountId: ACCOUNT, name: 'S', strategy: 'sequential', members: [] }, 'members'],
    ['a hunt strategy nobody knows', routingSchemas.huntGroup, { id: ID, accountId: ACCOUNT, name: 'S', strategy: 'loudest', members: [ALICE] }, 'strategy'],
    ['an external member that is not E.164', routingSchemas.huntMember, { kind: 'external', e164: '020 7946 0018' }, 'e164'],
    ['an IVR option on a key a phone does not have', routingSchemas.ivrMenu, { id: ID, accountId: ACCOUNT, name: 'M', greeting: 'g', invalidPrompt: 'i', timeoutPrompt: 't', options: { A: ALICE } }, 'options'],
    ['a weekly range that starts and ends together', routingSchemas.weeklyRange, { days: [1], from: '09:00', to: '09:00' }, 'to'],
    ['a time past 24:00', routingSchemas.weeklyRange, { days: [1], from: '09:00', to: '24:30' }, 'to'],
    ['weekday 0', routingSchemas.weeklyRange, { days: [0], from: '09:00', to: '17:00' }, 'days'],
    ['a holiday that is no date', routingSchemas.schedule, { id: ID, accountId: ACCOUNT, name: 'H', weekly: [], holidays: ['25/12/2026'], open: ALICE, closed: ALICE }, 'holidays'],
  ])('refuses %s', (_name, schema, input, field) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
});
