// huntOrder: which members ring in which round, for each strategy, with busy
// members skipped, the total timeout cutting rounds short, and the fallback.
import { describe, expect, it } from 'vitest';
import { type HuntContext, type HuntGroup, type HuntMember, type HuntOrder, huntOrder } from '../../../server/routing/index.js';
import { huntGroup } from './sample-directory.js';

const X = '+447400123456';
const MEMBERS: HuntMember[] = [
  { kind: 'subaccount', id: 'a' },
  { kind: 'subaccount', id: 'b' },
  { kind: 'subaccount', id: 'c' },
  { kind: 'external', e164: X },
];

function group(changes: Partial<HuntGroup>): HuntGroup {
  return huntGroup({ members: MEMBERS, memberTimeoutSeconds: 20, totalTimeoutSeconds: 100, fallback: null, ...changes });
}

/** Rounds written as "a+b@20": members rung together @ timeout. */
function written(order: HuntOrder): string[] {
  return order.rounds.map((r) => `${r.members.map((m) => (m.kind === 'subaccount' ? m.id : 'x')).join('+')}@${r.timeoutSeconds}`);
}

function context(changes: Partial<HuntContext> = {}): HuntContext {
  return { busy: new Set(), cursor: null, random: () => 0.5, ...changes };
}

describe('huntOrder', () => {
  it.each<[string, Partial<HuntGroup>, Partial<HuntContext>, string[]]>([
    ['simultaneous rings everyone in one round for the total timeout', { strategy: 'simultaneous' }, {}, ['a+b+c+x@100']],
    ['simultaneous with a total timeout of 30', { strategy: 'simultaneous', totalTimeoutSeconds: 30 }, {}, ['a+b+c+x@30']],
    ['sequential rings one member per round in list order', { strategy: 'sequential' }, {}, ['a@20', 'b@20', 'c@20', 'x@20']],
    ['sequential with per-member timeouts of 15', { strategy: 'sequential', memberTimeoutSeconds: 15 }, {}, ['a@15', 'b@15', 'c@15', 'x@15']],
    ['the total timeout stops the hunt after whole rounds', { strategy: 'sequential', totalTimeoutSeconds: 60 }, {}, ['a@20', 'b@20', 'c@20']],
    ['the total timeout cuts the last round short', { strategy: 'sequential', totalTimeoutSeconds: 50 }, {}, ['a@20', 'b@20', 'c@10']],
    ['round robin with no cursor starts at the first member', { strategy: 'round_robin' }, {}, ['a@20', 'b@20', 'c@20', 'x@20']],
    ['round robin starts after the cursor', { strategy: 'round_robin' }, { cursor: 1 }, ['c@20', 'x@20', 'a@20', 'b@20']],
    ['round robin wraps after the last member', { strategy: 'round_robin' }, { cursor: 3 }, ['a@20', 'b@20', 'c@20', 'x@20']],
    ['round robin with a cursor past a shrunk list wraps round', { strategy: 'round_robin' }, { cursor: 9 }, ['c@20', 'x@20', 'a@20', 'b@20']],
    ['random with a generator at 0.99 keeps the list order', { strategy: 'random' }, { random: () => 0.99 }, ['a@20', 'b@20', 'c@20', 'x@20']],
    ['random with a generator at 0 shuffles Fisher–Yates style', { strategy: 'random' }, { random: () => 0 }, ['b@20', 'c@20', 'x@20', 'a@20']],
    ['busy members are skipped', { strategy: 'sequential' }, { busy: new Set(['b']) }, ['a@20', 'c@20', 'x@20']],
    ['busy members are skipped in a ring-all round', { strategy: 'simultaneous' }, { busy: new Set(['a', 'c']) }, ['b+x@100']],
    ['busy members ring when the group does not skip them', { strategy: 'sequential', skipBusy: false }, { busy: new Set(['b']) }, ['a@20', 'b@20', 'c@20', 'x@20']],
    ['everyone busy leaves no round', { strategy: 'simultaneous', members: MEMBERS.slice(0, 2) }, { busy: new Set(['a', 'b']) }, []],
    ['unreachable members are left out', { strategy: 'sequential' }, { reachable: (m) => m.kind === 'external' }, ['x@20']],
  ])('%s', (_name, changes, ctx, rounds) => {
    expect(written(huntOrder(group(changes), context(ctx)))).toEqual(rounds);
  });

  it.each<[string, Partial<HuntContext>, number | null]>([
    ['the first member rung, to store for the next call', { cursor: 1 }, 2],
    ['the first member rung when busy ones were skipped', { cursor: 1, busy: new Set(['c']) }, 3],
    ['the first member with no cursor yet', {}, 0],
  ])('round robin returns as next cursor %s', (_name, ctx, next) => {
    expect(huntOrder(group({ strategy: 'round_robin' }), context(ctx)).nextCursor).toBe(next);
  });

  it('gives no cursor for other strategies', () => {
    expect(huntOrder(group({ strategy: 'sequential' }), context()).nextCursor).toBeNull();
  });

  it('ends with the fallback destination', () => {
    const fallback = { kind: 'ivr_menu' as const, id: 'main' };
    expect(huntOrder(group({ fallback }), context())).toMatchObject({ fallback });
  });
});
