// Local numbers (seed 002: "add additional local phone numbers", prorated):
// the operator loads numbers into stock; an owner searches by area code and
// buys one. The purchase, in one transaction: the number becomes the
// account's (phone_numbers), its monthly fee starts as a subscription item, the
// prorated fee and the setup fee are posted to the ledger. Releasing a number
// (number removal goes through a service request) reverses it with a prorated credit.
//
// Its own folder: the stock is neither an account's data nor billing's, and the
// purchase joins the two (accounts for the number, subscriptions for the fee).
import { type Caller, type ChangeDeps, committedChange, numberRepository, numberSchemas, reachAccount, recordAudit, toE164 } from '../accounts/index.js';
import type { Subscriptions } from '../subscriptions/index.js';
import type { Database, LedgerEntryRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import * as repo from './inventory.repository.js';
import { type AvailableFilter, type AvailableNumber, type LoadStock, type Purchased, toAvailableNumber } from './inventory.schemas.js';

export interface InventoryDeps extends ChangeDeps {
  subscriptions: Subscriptions;
}

/** North American numbers: the area code is the three digits after +1. */
const areaCodeOf = (e164: string) => (/^\+1\d{10}$/.test(e164) ? e164.slice(2, 5) : undefined);

export class NumberInventory {
  constructor(private readonly deps: InventoryDeps) {}

  /** Operator only: adds numbers to the stock (numbers already in it are skipped). */
  async load(caller: Caller, input: LoadStock): Promise<{ added: string[]; skipped: string[] }> {
    if (caller.role !== 'operator') throw new Forbidden('only the operator loads numbers into the inventory');
    const rows = input.numbers.map((n, i) => {
      if (toE164(n.e164, 'US') !== n.e164) throw new InvalidField(`numbers.${i}.e164`, `${n.e164} is not a valid phone number`);
      const areaCode = n.areaCode ?? areaCodeOf(n.e164);
      if (!areaCode) throw new InvalidField(`numbers.${i}.areaCode`, 'required for numbers outside North America');
      return { e164: n.e164, area_code: areaCode, monthly_fee_minor: n.monthlyFeeMinor, setup_fee_minor: n.setupFeeMinor };
    });
    return this.deps.db.transaction().execute(async (trx) => {
      const added = await repo.insertStock(trx, rows);
      const skipped = rows.map((r) => r.e164).filter((e) => !added.includes(e));
      await recordAudit(trx, caller, { accountId: caller.accountId, entity: 'number_inventory', entityId: 'stock', action: 'create', after: { added } });
      return { added, skipped };
    });
  }

  /** Owner, admin and staff: numbers in stock, optionally in one area code, with their fees in the account's currency. */
  async available(caller: Caller, accountId: string, filter: AvailableFilter): Promise<Page<AvailableNumber>> {
    const account = await reachAccount(this.deps.db, caller, accountId, 'manage');
    const { currency } = await this.deps.subscriptions.priceListFor(this.deps.db, account);
    const { rows, total } = await repo.availableNumbers(this.deps.db, filter);
    return { items: rows.map((r) => toAvailableNumber(r, currency)), total, limit: filter.limit, offset: filter.offset };
  }

  /** Owner only (staff may act for them): buys an available number for the account at `at`. */
  async buy(caller: Caller, accountId: string, number: string, at: Date): Promise<Purchased> {
    return committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'owner');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'numbers belong to customer accounts');
      const e164 = toE164(number, account.country);
      if (!e164) throw new InvalidField('number', `not a valid phone number for ${account.country} or in +E.164 form`);
      const stock = await repo.lockedStock(trx, e164);
      if (!stock) throw new NotFound('available number');
      if (stock.sold_at) throw new Conflict('number', `${e164} is already sold`);
      const row = await translatingConstraints(() => numberRepository.insertNumber(trx, { account_id: accountId, e164, label: '' })).catch(
        (error: unknown) => {
          if (error instanceof Conflict) throw new Conflict('number', `${e164} is already assigned`);
          throw error;
        },
      );
      await repo.markSold(trx, e164, { account_id: accountId, phone_number_id: row.id, sold_at: at });
      const { entries } = await this.deps.subscriptions.startNumberIn(trx, {
        account, phoneNumberId: row.id, e164, monthlyFeeMinor: stock.monthly_fee_minor, setupFeeMinor: stock.setup_fee_minor, at, createdBy: caller.label,
      });
      const result = { number: numberSchemas.toPhoneNumber(row), charges: entries.map(charge) };
      await recordAudit(trx, caller, { accountId, entity: 'number', entityId: row.id, action: 'create (purchase)', after: result });
      return result;
    });
  }

  /**
   * Number removal (called by the service request that removes a number, in its
   * transaction when given): ends the number's monthly fee at `at` with a
   * prorated credit, returns the number to the stock and takes it from the account.
   * Returns the credit posted, if any. A number that was not bought from the
   * inventory is only taken from the account.
   */
  async release(trx: Database | undefined, accountId: string, phoneNumberId: string, at: Date, createdBy = 'billing'): Promise<LedgerEntryRow | undefined> {
    if (!trx) return committedChange(this.deps, (t) => this.release(t, accountId, phoneNumberId, at, createdBy));
    const number = await numberRepository.numberById(trx, accountId, phoneNumberId);
    if (!number) throw new NotFound('number');
    const credit = await this.endFeeAndRestock(trx, accountId, phoneNumberId, at, createdBy);
    await numberRepository.deleteNumberRow(trx, phoneNumberId);
    return credit;
  }

  /**
   * A number leaves its account (by whatever route: staff removal, a service
   * request): its monthly fee ends with a prorated credit and, if it came from
   * stock, it is available again. Inside the caller's transaction.
   */
  async endFeeAndRestock(trx: Database, accountId: string, phoneNumberId: string, at: Date, createdBy = 'billing'): Promise<LedgerEntryRow | undefined> {
    const credit = await this.deps.subscriptions.endNumber(trx, accountId, phoneNumberId, at, createdBy);
    const stock = await repo.lockedStockOf(trx, accountId, phoneNumberId);
    if (stock) await repo.markAvailable(trx, stock.e164);
    return credit;
  }
}

const charge = (e: LedgerEntryRow) => ({ kind: e.kind, amountMinor: e.amount_minor, currency: e.currency, memo: e.memo });
