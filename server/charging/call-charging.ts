// What the switch asks of charging while a call runs, and tells it after:
// authorize (the caller's charging plan — its own or the account's default —
// must allow the call, and for prepaid the shared balance must cover it: the
// answer reserves what the longest covered call costs and says when to hang
// up), settle (rate the CDR with the deck in force when the call started,
// charge it once, release the reservation) and, for calls whose CDR never
// came, release reservations that outlived any call they could cover.
import {
  type Authorization,
  type CallClass,
  type CallDirection,
  type ChargingPlan,
  RateDeckIndex,
  type RateLookup,
  type Settlement,
  CALL_CLASSES,
  authorizeCall,
  chargingPlan,
  releaseStale,
  releaseUnused,
  reservedSecondsOf,
  settleCall,
} from '../billing/index.js';
import type { Database } from '../db/index.js';
import { effectivePlan } from './charging-plan.repository.js';
import type { DeckCache } from './rate-decks.js';

export interface CallToCharge {
  callUuid: string;
  accountId: string;
  /** null: no subaccount pays (a forwarded number, a hunt group's external member): the account's default plan rates it */
  subaccountId: string | null;
  class: CallClass;
  direction: CallDirection;
  /** E.164 digits without + for calls to the public network */
  dialedDigits: string;
}

export type ChargeDecision =
  | Authorization
  | { allowed: false; reason: 'no_plan'; message: string };

/** A CDR as the switch wrote it (the cdrs table's columns that rating reads). */
export interface CdrToCharge {
  call_uuid: string;
  account_id: string;
  subaccount_id: string | null;
  direction: 'outgoing' | 'incoming';
  call_class: string;
  callee: string;
  started_at: Date;
  answered_at: Date | null;
  billable_seconds: number;
  /** a hunt group's leg to a carrier that answered: the authorization charged */
  charged_leg_uuid?: string | null | undefined;
}

const CLASSES: ReadonlySet<string> = new Set(CALL_CLASSES);
const NO_PLAN = {
  allowed: false,
  reason: 'no_plan',
  message: 'no charging plan rates this call: give the subaccount a plan, or the account a default plan',
} as const satisfies ChargeDecision;
const EMPTY_DECK = new RateDeckIndex([]);

/** The deck in force, when it prices in the plan's currency; otherwise none (the call rates by fixed prices only). */
function deckInCurrency(found: { deck: RateLookup; currency: string } | null | undefined, plan: ChargingPlan): RateLookup {
  return found && found.currency === plan.currency ? found.deck : EMPTY_DECK;
}

export class CallCharging {
  constructor(
    private readonly deps: {
      db: Database;
      decks: DeckCache;
      maxCallSeconds?: number;
      /** after a call was charged: threshold alerts and auto-recharge look at the new balance */
      afterCharge?: (accountId: string) => Promise<void>;
      /**
       * The plan that rates a subaccount's calls from a cache that is invalidated
       * on change (the routing directory holds them parsed); undefined: ask the database.
       */
      cachedPlan?: (subaccountId: string) => ChargingPlan | null | undefined | Promise<ChargingPlan | null | undefined>;
    },
  ) {}

  /**
   * When the plan and the deck are in memory (the cache is warm: nearly every
   * call) the authorization goes to its batch without waiting on a promise
   * first; each await costs allocations, and everything allocated brings the
   * next garbage collection, which every authorization in flight waits for.
   */
  authorize(call: CallToCharge, now: Date): Promise<ChargeDecision> {
    const cached = call.subaccountId !== null ? this.deps.cachedPlan?.(call.subaccountId) : undefined;
    if (cached === null) return Promise.resolve(NO_PLAN);
    if (cached !== undefined && !(cached instanceof Promise)) {
      const found = this.deps.decks.atOnce(now);
      if (found !== undefined) return this.decide(call, now, cached, found);
    }
    return this.authorizeLoading(call, now);
  }

  private async authorizeLoading(call: CallToCharge, now: Date): Promise<ChargeDecision> {
    const plan = await this.planFor(call.accountId, call.subaccountId);
    if (!plan) return NO_PLAN;
    return this.decide(call, now, plan, await this.deps.decks.at(now));
  }

  private decide(call: CallToCharge, now: Date, plan: ChargingPlan, found: { deck: RateLookup; currency: string } | null | undefined) {
    const deck = deckInCurrency(found, plan);
    const options = this.deps.maxCallSeconds === undefined ? {} : { maxCallSeconds: this.deps.maxCallSeconds };
    const request = { callUuid: call.callUuid, accountId: call.accountId, subaccountId: call.subaccountId, plan, call, deck };
    return authorizeCall(this.deps.db, request, now, options);
  }

  /** Rates and charges one CDR; undefined when it is not a rated call (emergency, unrouted) or nothing rates it. */
  async settle(cdr: CdrToCharge, now: Date = new Date()): Promise<Settlement | undefined> {
    // incoming calls from a carrier that no subaccount answered directly are not rated
    const rated = CLASSES.has(cdr.call_class) && !(cdr.direction === 'incoming' && !cdr.subaccount_id);
    // a hunt group's carrier leg was authorized for the group's account (its default plan): rated the same way
    const payer = cdr.charged_leg_uuid ? null : cdr.subaccount_id;
    const plan = rated ? await this.planFor(cdr.account_id, payer) : undefined;
    const reservation = cdr.charged_leg_uuid ?? cdr.call_uuid;
    if (!plan) {
      await releaseUnused(this.deps.db, reservation, now);
      return undefined;
    }
    const deck = deckInCurrency(await this.deps.decks.at(cdr.started_at), plan);
    // the switch hangs up at the authorized length; a second of clock skew past it is not charged
    const covered = await reservedSecondsOf(this.deps.db, reservation);
    const billsec = covered === undefined ? cdr.billable_seconds : Math.min(cdr.billable_seconds, covered);
    const settlement = await settleCall(
      this.deps.db,
      {
        callUuid: cdr.call_uuid,
        reservationUuid: reservation,
        accountId: cdr.account_id,
        subaccountId: cdr.subaccount_id,
        class: cdr.call_class as CallClass,
        direction: cdr.direction,
        dialedDigits: cdr.callee.replace(/^\+/, ''),
        answeredAt: cdr.answered_at,
        billsec,
        startedAt: cdr.started_at,
      },
      plan,
      deck,
      now,
    );
    if (settlement.charged) await this.deps.afterCharge?.(cdr.account_id);
    return settlement;
  }

  /** Releases an authorization no call used (a hunt group's leg to a carrier nobody answered). */
  async release(reservationUuid: string, now: Date = new Date()): Promise<void> {
    await releaseUnused(this.deps.db, reservationUuid, now);
  }

  /** Releases reservations whose CDR never came (billing's releaseStale). */
  async releaseStale(now: Date, graceSeconds = 300): Promise<number> {
    return releaseStale(this.deps.db, now, graceSeconds);
  }

  private async planFor(accountId: string, subaccountId: string | null): Promise<ChargingPlan | undefined> {
    const cached = subaccountId ? await this.deps.cachedPlan?.(subaccountId) : undefined;
    if (cached !== undefined) return cached ?? undefined;
    const row = await effectivePlan(this.deps.db, accountId, subaccountId);
    return row ? chargingPlan.parse(row.definition) : undefined;
  }
}
