// Call hunt (seed 000, "ring all chosen subaccounts", and its usual variants):
// the order a hunt group's members ring in, as rounds. The switch rings every
// member of a round together for the round's timeout, then moves on; when the
// rounds run out it goes to the group's fallback.
import type { Destination, HuntGroup, HuntMember, HuntStrategy } from './routing.schemas.js';

export interface HuntRound {
  members: HuntMember[];
  timeoutSeconds: number;
}

export interface HuntOrder {
  rounds: HuntRound[];
  /** Round robin: the member index to store as the cursor for the next call; null otherwise. */
  nextCursor: number | null;
  fallback: Destination | null;
}

export interface HuntContext {
  /** Subaccounts already on a call. */
  busy: ReadonlySet<string>;
  /** Round robin: index in `members` of the member the previous call started with. */
  cursor: number | null;
  /** Injected so the random strategy is testable and the core stays pure; [0, 1) like Math.random. */
  random: () => number;
  /** Members that can take the call at all (exist, allowed incoming calls); all when absent. */
  reachable?: (member: HuntMember) => boolean;
}

interface Indexed {
  member: HuntMember;
  index: number;
}

interface Strategy {
  order: (members: Indexed[], context: HuntContext) => Indexed[];
  /** Whether every member rings in one round (ring all) or one per round. */
  ringAll: boolean;
}

const STRATEGIES: Record<HuntStrategy, Strategy> = {
  simultaneous: { order: (members) => members, ringAll: true },
  sequential: { order: (members) => members, ringAll: false },
  round_robin: { order: rotatedAfterCursor, ringAll: false },
  random: { order: shuffled, ringAll: false },
};

/** Members from the one after the cursor, wrapping round; from the first when there is no cursor. */
function rotatedAfterCursor(members: Indexed[], { cursor }: HuntContext): Indexed[] {
  if (cursor === null || members.length === 0) return members;
  const start = (((cursor + 1) % members.length) + members.length) % members.length;
  return [...members.slice(start), ...members.slice(0, start)];
}

/** Fisher–Yates with the injected generator. */
function shuffled(members: Indexed[], { random }: HuntContext): Indexed[] {
  const out = [...members];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [out[i], out[j]] = [out[j] as Indexed, out[i] as Indexed];
  }
  return out;
}

function available(entry: Indexed, group: HuntGroup, context: HuntContext): boolean {
  const { member } = entry;
  if (group.skipBusy && member.kind === 'subaccount' && context.busy.has(member.id)) return false;
  return context.reachable?.(member) ?? true;
}

function roundsOf(members: HuntMember[], group: HuntGroup, ringAll: boolean): HuntRound[] {
  if (members.length === 0) return [];
  if (ringAll) return [{ members, timeoutSeconds: group.totalTimeoutSeconds }];
  return members.map((member) => ({ members: [member], timeoutSeconds: group.memberTimeoutSeconds }));
}

/** Rounds cut so that together they last no longer than the group's total timeout. */
function cappedRounds(rounds: HuntRound[], totalSeconds: number): HuntRound[] {
  const capped: HuntRound[] = [];
  let elapsed = 0;
  for (const round of rounds) {
    if (elapsed >= totalSeconds) break;
    const timeoutSeconds = Math.min(round.timeoutSeconds, totalSeconds - elapsed);
    capped.push({ members: round.members, timeoutSeconds });
    elapsed += timeoutSeconds;
  }
  return capped;
}

/** The order a hunt group rings in for one call. Ring-all waits the total timeout; others the member timeout each. */
export function huntOrder(group: HuntGroup, context: HuntContext): HuntOrder {
  const strategy = STRATEGIES[group.strategy];
  const ordered = strategy
    .order(group.members.map((member, index) => ({ member, index })), context)
    .filter((entry) => available(entry, group, context));
  const rounds = roundsOf(ordered.map((entry) => entry.member), group, strategy.ringAll);
  const first = ordered[0];
  return {
    rounds: cappedRounds(rounds, group.totalTimeoutSeconds),
    nextCursor: group.strategy === 'round_robin' && first ? first.index : null,
    fallback: group.fallback,
  };
}
