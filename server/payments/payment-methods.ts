// Payment method operations: add (a token, or a test card tokenized at once),
// list, choose the default, remove. Rule: while an account has cards, exactly
// one is the default — the first card added becomes it, and removing the
// default while others remain needs `newDefaultId`; removing the last card
// leaves none (auto-recharge then stops until a card is added).
import { type Caller, reachAccount, recordAudit } from '../accounts/index.js';
import type { Database, PaymentMethodRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { reachAsHolder } from './holder.js';
import * as repo from './payment-method.repository.js';
import { type AddPaymentMethod, type PaymentMethod, hasExpired, toPaymentMethod } from './payment-method.schemas.js';
import type { PaymentProvider } from './provider.js';

export interface PaymentMethodsDeps {
  db: Database;
  provider: PaymentProvider;
  /** the clock: expiry is checked against it */
  now?: () => Date;
}

export class PaymentMethods {
  constructor(private readonly deps: PaymentMethodsDeps) {}

  get provider(): PaymentProvider {
    return this.deps.provider;
  }

  async list(caller: Caller, accountId: string): Promise<Page<PaymentMethod>> {
    await reachAccount(this.deps.db, caller, accountId, 'owner');
    const rows = await repo.methodsOf(this.deps.db, accountId);
    return { items: rows.map(toPaymentMethod), total: rows.length, limit: rows.length, offset: 0 };
  }

  async add(caller: Caller, accountId: string, input: AddPaymentMethod): Promise<PaymentMethod> {
    await reachAsHolder(this.deps.db, caller, accountId);
    const token = input.card ? await this.tokenized(input.card) : input.token!;
    const card = await this.deps.provider.attach(token);
    if (hasExpired(card, this.now())) throw new InvalidField('expiry', `the card expired at the end of ${card.expMonth}/${card.expYear}`);
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAsHolder(trx, caller, accountId);
      await repo.lockAccountCards(trx, accountId);
      const first = (await repo.defaultMethodOf(trx, accountId)) === undefined;
      const row = await translatingConstraints(() =>
        repo.insertMethod(trx, {
          account_id: accountId,
          provider: this.deps.provider.name,
          token,
          brand: card.brand,
          last4: card.last4,
          exp_month: card.expMonth,
          exp_year: card.expYear,
        }),
      ).catch((error: unknown) => {
        throw error instanceof Conflict ? new Conflict('token', 'this card is already on file') : error;
      });
      if (first || input.makeDefault) await repo.setDefault(trx, accountId, row.id);
      const added = toPaymentMethod((await repo.methodById(trx, accountId, row.id))!);
      await recordAudit(trx, caller, { accountId, entity: 'payment_method', entityId: row.id, action: 'create', after: added });
      return added;
    });
  }

  async makeDefault(caller: Caller, accountId: string, id: string): Promise<PaymentMethod> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAsHolder(trx, caller, accountId);
      await repo.lockAccountCards(trx, accountId);
      const row = await this.existing(trx, accountId, id);
      if (hasExpired({ expMonth: row.exp_month, expYear: row.exp_year }, this.now())) {
        throw new InvalidField('expiry', 'an expired card cannot be the default');
      }
      await repo.setDefault(trx, accountId, id);
      const after = toPaymentMethod((await repo.methodById(trx, accountId, id))!);
      await recordAudit(trx, caller, { accountId, entity: 'payment_method', entityId: id, action: 'make default', after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string, newDefaultId: string | undefined): Promise<void> {
    const removed = await this.deps.db.transaction().execute(async (trx) => {
      await reachAsHolder(trx, caller, accountId);
      await repo.lockAccountCards(trx, accountId);
      const row = await this.existing(trx, accountId, id);
      const others = (await repo.methodsOf(trx, accountId)).filter((m) => m.id !== id);
      if (newDefaultId !== undefined) {
        if (!others.some((m) => m.id === newDefaultId)) throw new InvalidField('newDefaultId', 'no other card of this account has that id');
      } else if (row.is_default && others.length > 0) {
        throw new InvalidField('newDefaultId', 'this is the default card: name the card that replaces it (newDefaultId)');
      }
      await repo.deleteMethod(trx, id);
      if (newDefaultId !== undefined) await repo.setDefault(trx, accountId, newDefaultId);
      await recordAudit(trx, caller, { accountId, entity: 'payment_method', entityId: id, action: 'delete', before: toPaymentMethod(row) });
      return row;
    });
    // after the commit: a failure at the provider leaves a token nobody charges, never a card row without its token
    await this.deps.provider.detach(removed.token);
  }

  /** The card auto-recharge and recurring billing charge, if any. */
  defaultOf(db: Database, accountId: string): Promise<PaymentMethodRow | undefined> {
    return repo.defaultMethodOf(db, accountId);
  }

  /** One card of the account, if it still exists. */
  methodOf(db: Database, accountId: string, id: string): Promise<PaymentMethodRow | undefined> {
    return repo.methodById(db, accountId, id);
  }

  private async existing(db: Database, accountId: string, id: string): Promise<PaymentMethodRow> {
    const row = await repo.methodById(db, accountId, id);
    if (!row) throw new NotFound('payment method');
    return row;
  }

  private async tokenized(card: NonNullable<AddPaymentMethod['card']>): Promise<string> {
    if (!this.deps.provider.tokenize) {
      throw new InvalidField('card', `the ${this.deps.provider.name} payment provider takes a token from its browser form, never card numbers`);
    }
    if (hasExpired(card, this.now())) throw new InvalidField('expiry', `the card expired at the end of ${card.expMonth}/${card.expYear}`);
    return this.deps.provider.tokenize(card);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
