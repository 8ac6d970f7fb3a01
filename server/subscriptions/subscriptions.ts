// Subscriptions (seed 002): billed users (seats) and local numbers, each a
// monthly price. The Owner raises or lowers the seat quantity; the change is
// prorated from the day it happens and posted to the ledger in the same
// transaction. At the start of each period the recurring charge for what is
// running is posted once (billing in advance; changes settle by proration).
import { type Caller, type Capability, lockAccount, reachAccount, recordAudit } from '../accounts/index.js';
import type { AccountRow, Database, LedgerEntryRow, SubscriptionItemRow } from '../db/index.js';
import { Conflict, InvalidField } from '../errors.js';
import { balanceOf, billingPeriodAt, changeProration, postEntryIn } from '../billing/index.js';
import * as repo from './subscription.repository.js';
import {
  type PriceList,
  type PriceListInput,
  type SeatChanged,
  type Subscription,
  toPostedEntry,
  toPriceList,
  toSubscriptionItem,
} from './subscription.schemas.js';

export interface SubscriptionDeps {
  db: Database;
  /** the price list of accounts with none set up their lineage (config) */
  defaultPriceList: PriceListInput;
}

export interface NumberStart {
  account: AccountRow;
  phoneNumberId: string;
  e164: string;
  monthlyFeeMinor: number;
  setupFeeMinor: number;
  at: Date;
  createdBy: string;
}

const day = (at: Date, timezone: string) => billingPeriodAt(timezone, at);

/**
 * An account's balance has one currency (its first ledger entry's): prices in
 * another cannot be charged to it. A 409 saying what to change, rather than
 * the ledger's 400 on a `currency` field the request never had.
 */
async function sameCurrencyAsBalance(trx: Database, accountId: string, priceCurrency: string): Promise<void> {
  const { currency } = await balanceOf(trx, accountId);
  if (currency && currency !== priceCurrency) {
    throw new Conflict('currency', `the price list is in ${priceCurrency} but the account's balance is in ${currency}: staff set a price list in ${currency} on the account (PUT /accounts/${accountId}/price-list)`);
  }
}

export class Subscriptions {
  constructor(private readonly deps: SubscriptionDeps) {}

  /** The price list that applies to the account: its own, else its nearest ancestor's, else the default. */
  async priceListFor(db: Database, account: Pick<AccountRow, 'lineage'>): Promise<PriceList> {
    const [nearest] = await repo.priceListsOn(db, account.lineage);
    return toPriceList(nearest, this.deps.defaultPriceList);
  }

  async priceList(caller: Caller, accountId: string): Promise<PriceList> {
    return this.priceListFor(this.deps.db, await reachAccount(this.deps.db, caller, accountId, 'manage'));
  }

  /** Operator and resellers set the price list on an account of their tree (their own, a reseller, a customer). */
  async setPriceList(caller: Caller, accountId: string, input: PriceListInput): Promise<PriceList> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'staff');
      if (account.kind === 'account') await sameCurrencyAsBalance(trx, accountId, input.currency);
      const row = await repo.upsertPriceList(trx, { account_id: accountId, currency: input.currency, seat_price_minor: input.seatPriceMinor });
      const after = toPriceList(row, this.deps.defaultPriceList);
      await recordAudit(trx, caller, { accountId, entity: 'price_list', entityId: accountId, action: 'update', after });
      return after;
    });
  }

  async subscription(caller: Caller, accountId: string, at: Date, capability: Capability = 'manage'): Promise<Subscription> {
    return this.subscriptionIn(this.deps.db, await reachAccount(this.deps.db, caller, accountId, capability), at);
  }

  private async subscriptionIn(db: Database, account: AccountRow, at: Date): Promise<Subscription> {
    const period = day(at, account.timezone);
    const [items, subaccounts, priceList] = await Promise.all([
      repo.itemsOf(db, account.id, period.start),
      repo.subaccountCount(db, account.id),
      this.priceListFor(db, account),
    ]);
    const seats = items.find((i) => i.kind === 'seat' && i.ended_at === null)?.quantity ?? 0;
    return { accountId: account.id, priceList, seats, subaccounts, items: items.map(toSubscriptionItem) };
  }

  /**
   * Owner only (seed 002): sets the billed user quantity from `at` on. The
   * difference in monthly value is prorated over the rest of the period: a
   * raise posts a `proration` debit, a lowering a `proration` credit. Lowering
   * below the account's subaccounts → 409 on `quantity`.
   */
  async setSeats(caller: Caller, accountId: string, quantity: number, at: Date): Promise<SeatChanged> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'owner');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'seats belong to customer accounts');
      await lockAccount(trx, accountId);
      const current = await repo.openSeatItem(trx, accountId);
      const from = current?.quantity ?? 0;
      const subaccounts = await repo.subaccountCount(trx, accountId);
      if (quantity < from && quantity < subaccounts) {
        throw new Conflict('quantity', `the account has ${subaccounts} subaccounts: remove some before lowering billed users below that`);
      }
      let entry: LedgerEntryRow | undefined;
      if (quantity !== from) {
        const price = await this.priceListFor(trx, account);
        await sameCurrencyAsBalance(trx, accountId, price.currency);
        if (current) await repo.endItem(trx, current.id, at);
        if (quantity > 0) {
          await repo.insertItem(trx, {
            account_id: accountId, kind: 'seat', quantity, unit_price_minor: price.seatPriceMinor, currency: price.currency,
            phone_number_id: null, e164: null, started_at: at, ended_at: null,
          });
        }
        const fromValue = current ? current.quantity * current.unit_price_minor : 0;
        entry = await this.postChange(trx, account, {
          fromMinor: fromValue, toMinor: quantity * price.seatPriceMinor, currency: current?.currency ?? price.currency,
          memo: `Billed users ${from} → ${quantity}`, at, createdBy: caller.label,
        });
        await recordAudit(trx, caller, { accountId, entity: 'subscription', entityId: accountId, action: 'update (seats)', before: { seats: from }, after: { seats: quantity } });
      }
      const proration = entry ? toPostedEntry(entry) : null;
      return { subscription: await this.subscriptionIn(trx, account, at), proration };
    });
  }

  /**
   * Before a subaccount is added (in its transaction): an account billed per
   * user (the owner has set a quantity) gets no more subaccounts than billed
   * users — 409 on `seats` until the owner raises them. Only the owner changes
   * what the account pays, so an admin adding a user never raises the bill.
   * Accounts with no seat subscription are not billed per user: no limit.
   */
  async checkSeatFree(trx: Database, accountId: string): Promise<void> {
    await lockAccount(trx, accountId);
    const seat = await repo.openSeatItem(trx, accountId);
    if (!seat) return;
    const subaccounts = await repo.subaccountCount(trx, accountId);
    if (subaccounts >= seat.quantity) {
      throw new Conflict('seats', `the account pays for ${seat.quantity} billed users and has ${subaccounts} subaccounts: the owner raises billed users first (PUT /accounts/${accountId}/subscription/seats)`);
    }
  }

  /**
   * Starts a number's monthly fee inside the caller's transaction (the number
   * purchase): the fee prorated from `at` to the end of the period, and the
   * setup fee, both posted to the ledger.
   */
  async startNumberIn(trx: Database, n: NumberStart): Promise<{ item: SubscriptionItemRow; entries: LedgerEntryRow[] }> {
    const { currency } = await this.priceListFor(trx, n.account);
    await sameCurrencyAsBalance(trx, n.account.id, currency);
    const item = await repo.insertItem(trx, {
      account_id: n.account.id, kind: 'number', quantity: 1, unit_price_minor: n.monthlyFeeMinor, currency,
      phone_number_id: n.phoneNumberId, e164: n.e164, started_at: n.at, ended_at: null,
    });
    const entries: LedgerEntryRow[] = [];
    const prorated = await this.postChange(trx, n.account, {
      fromMinor: 0, toMinor: n.monthlyFeeMinor, currency, memo: `Number ${n.e164} monthly fee`, at: n.at, createdBy: n.createdBy,
    });
    if (prorated) entries.push(prorated);
    if (n.setupFeeMinor > 0) {
      const setup = await postEntryIn(
        trx,
        { accountId: n.account.id, subaccountId: null, kind: 'subscription', amountMinor: -n.setupFeeMinor, currency, callUuid: null, memo: `Number ${n.e164} setup fee`, createdBy: n.createdBy },
        { at: n.at },
      );
      if (setup.entry) entries.push(setup.entry);
    }
    return { item, entries };
  }

  /**
   * Ends a number's monthly fee at `at` with a prorated credit for the rest of
   * the period, in the caller's transaction when given (number removal by
   * service request calls this). Undefined when the number has no open item.
   */
  async endNumber(trx: Database | undefined, accountId: string, phoneNumberId: string, at: Date, createdBy = 'billing'): Promise<LedgerEntryRow | undefined> {
    if (!trx) return this.deps.db.transaction().execute((t) => this.endNumber(t, accountId, phoneNumberId, at, createdBy));
    const account = await trx.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
    const item = await repo.openNumberItem(trx, accountId, phoneNumberId);
    if (!item) return undefined;
    await repo.endItem(trx, item.id, at);
    return this.postChange(trx, account, {
      fromMinor: item.unit_price_minor, toMinor: 0, currency: item.currency, memo: `Number ${item.e164 ?? ''} released`, at, createdBy,
    });
  }

  /**
   * The recurring charge of the period holding `now`, once per account (safe to
   * run again, from any process): one `subscription` debit per item that was
   * running when the period began. Items started inside it were prorated then.
   */
  async chargePeriods(now: Date): Promise<number> {
    let charged = 0;
    for (const account of await repo.accountsWithItems(this.deps.db, now)) {
      const posted = await this.deps.db.transaction().execute(async (trx) => {
        const period = day(now, account.timezone);
        if (!(await repo.claimPeriodCharge(trx, account.id, period.label))) return 0;
        const items = await repo.itemsRunningAt(trx, account.id, period.start);
        for (const item of items) await this.postRecurring(trx, account.id, item, period.label, now);
        return items.length;
      });
      charged += posted;
    }
    return charged;
  }

  private async postRecurring(trx: Database, accountId: string, item: SubscriptionItemRow, period: string, at: Date): Promise<void> {
    const amount = item.quantity * item.unit_price_minor;
    if (amount === 0) return;
    const memo = item.kind === 'seat' ? `Billed users × ${item.quantity}, ${period}` : `Number ${item.e164 ?? ''} monthly fee, ${period}`;
    await postEntryIn(trx, { accountId, subaccountId: null, kind: 'subscription', amountMinor: -amount, currency: item.currency, callUuid: null, memo, createdBy: 'billing' }, { at });
  }

  private async postChange(
    trx: Database,
    account: AccountRow,
    change: { fromMinor: number; toMinor: number; currency: string; memo: string; at: Date; createdBy: string },
  ): Promise<LedgerEntryRow | undefined> {
    const period = day(change.at, account.timezone);
    const prorated = changeProration(change.fromMinor, change.toMinor, period.day, period.daysInPeriod);
    if (prorated.amountMinor === 0) return undefined;
    const memo = `${change.memo}: ${prorated.days}/${prorated.daysInPeriod} days of ${period.label}`;
    const posted = await postEntryIn(
      trx,
      { accountId: account.id, subaccountId: null, kind: 'proration', amountMinor: prorated.amountMinor, currency: change.currency, callUuid: null, memo, createdBy: change.createdBy },
      { at: change.at },
    );
    return posted.entry;
  }
}
