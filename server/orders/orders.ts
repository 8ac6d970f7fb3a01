// The phone catalogue (the operator sets prices) and phone orders: the owner
// places an order and pays its total (a ledger debit in the same transaction);
// staff ship it with each phone's MAC and deliver it, when the phones become
// devices of the account; cancelling before shipping refunds the total.
import { type Caller, type Devices, reachAccount, recordAudit } from '../accounts/index.js';
import { balanceOf, ledgerEntryInput, postEntryIn } from '../billing/index.js';
import type { Database, PhoneModelRow, PhoneOrderItemRow, PhoneOrderRow } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import * as repo from './order.repository.js';
import {
  NEXT,
  type OrderFilter,
  type OrderTransition,
  type PhoneModel,
  type PhoneOrder,
  type PlaceOrder,
  type UpdatePhoneModel,
  toPhoneModel,
  toPhoneOrder,
} from './order.schemas.js';

export class PhoneCatalogue {
  constructor(private readonly deps: { db: Database }) {}

  async list(): Promise<{ items: PhoneModel[] }> {
    return { items: (await repo.listModels(this.deps.db)).map(toPhoneModel) };
  }

  async update(caller: Caller, id: string, input: UpdatePhoneModel): Promise<PhoneModel> {
    if (caller.role !== 'operator') throw new Forbidden('only the operator edits the phone catalogue');
    return this.deps.db.transaction().execute(async (trx) => {
      const before = (await repo.modelsByIds(trx, [id]))[0];
      if (!before) throw new NotFound('phone model');
      const row = await repo.updateModelRow(trx, id, { name: input.name, price_minor: input.priceMinor, currency: input.currency, available: input.available });
      const after = toPhoneModel(row ?? before);
      await recordAudit(trx, caller, { accountId: null, entity: 'phone_model', entityId: id, action: 'update', before: toPhoneModel(before), after });
      return after;
    });
  }
}

export class PhoneOrders {
  constructor(private readonly deps: { db: Database; devices: Devices }) {}

  async place(caller: Caller, accountId: string, input: PlaceOrder): Promise<PhoneOrder> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'owner').catch(ownerOnly);
      if (account.kind !== 'account') throw new InvalidField('accountId', 'phones are bought for customer accounts');
      const models = await this.orderable(trx, input);
      const currency = models[0]!.currency;
      const balance = (await balanceOf(trx, accountId)).currency;
      if (balance && balance !== currency) {
        throw new Conflict('items', `phones are priced in ${currency} but the account's balance is in ${balance}: the operator prices the catalogue in ${balance} (PATCH /phone-models/{id})`);
      }
      const totalMinor = input.items.reduce((sum, item, i) => sum + Number(models[i]!.price_minor) * item.quantity, 0);
      await this.checkMacsFree(trx, input.items.map((i) => i.macs));
      const order = await repo.insertOrder(trx, { account_id: accountId, total_minor: totalMinor, currency, placed_by: caller.label });
      await repo.insertItems(trx, input.items.map((item, position) => {
        const m = models[position]!;
        return { order_id: order.id, position, model_id: m.id, vendor: m.vendor, model: m.model, unit_price_minor: m.price_minor, quantity: item.quantity, macs: item.macs };
      }));
      await this.post(trx, caller, order, 'adjustment', -totalMinor, 'paid');
      return this.audited(trx, caller, order, 'place');
    });
  }

  async list(caller: Caller, accountId: string, filter: OrderFilter): Promise<Page<PhoneOrder>> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const { rows, total } = await repo.listOrders(this.deps.db, accountId, filter);
    const items = await repo.itemsOf(this.deps.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toPhoneOrder(r, items)), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<PhoneOrder> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const row = await this.found(this.deps.db, accountId, id);
    return toPhoneOrder(row, await repo.itemsOf(this.deps.db, [id]));
  }

  /** Staff move the order; shipping records the MACs, delivery creates the devices, cancelling refunds. */
  async transition(caller: Caller, accountId: string, id: string, input: OrderTransition): Promise<PhoneOrder> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const before = await this.found(trx, accountId, id, true);
      if (!NEXT[before.status].includes(input.status)) {
        throw new Conflict('status', `an order that is ${before.status} cannot become ${input.status}`);
      }
      if (input.items !== undefined && input.status !== 'shipped') throw new InvalidField('items', 'MACs are entered when shipping');
      const items = await repo.itemsOf(trx, [id]);
      const now = new Date();
      if (input.status === 'shipped') await this.ship(trx, before, items, input.items ?? []);
      if (input.status === 'delivered') await this.deliver(trx, caller, before, items);
      if (input.status === 'cancelled') await this.post(trx, caller, before, 'refund', Number(before.total_minor), 'cancelled, refunded');
      const row = await repo.updateOrderRow(trx, id, {
        status: input.status,
        handled_by: caller.label,
        ...(input.status === 'shipped' ? { shipped_at: now } : input.status === 'delivered' ? { delivered_at: now } : { cancelled_at: now }),
      });
      return this.audited(trx, caller, row, `${before.status} → ${input.status}`, toPhoneOrder(before, items));
    });
  }

  /** Every phone needs its MAC to ship: those already known, or given now (by item, in order). */
  private async ship(trx: Database, order: PhoneOrderRow, items: PhoneOrderItemRow[], given: { macs: string[] }[]): Promise<void> {
    if (given.length > items.length) throw new InvalidField('items', `the order has ${items.length} item(s)`);
    const macs = items.map((item, i) => given[i]?.macs ?? item.macs);
    items.forEach((item, i) => {
      if (macs[i]!.length !== item.quantity) {
        throw new InvalidField(`items.${i}.macs`, `the MAC of each of the ${item.quantity} phone(s) is required to ship`);
      }
    });
    await this.checkMacsFree(trx, macs);
    for (const [i, item] of items.entries()) await repo.setItemMacs(trx, order.id, item.position, macs[i]!);
  }

  private async deliver(trx: Database, caller: Caller, order: PhoneOrderRow, items: PhoneOrderItemRow[]): Promise<void> {
    for (const item of items) {
      const vendor = item.vendor as PhoneModel['vendor'];
      for (const mac of item.macs) {
        await this.deps.devices
          .createIn(trx, caller, order.account_id, { mac, vendor, model: item.model, label: '', lines: [] })
          .catch((error: unknown) => {
            if (error instanceof Conflict) throw new Conflict(error.field ?? 'mac', `cannot deliver: ${mac}: ${error.message}`);
            throw error;
          });
      }
    }
  }

  /** The catalogue entry of each item, in order: existing, orderable, all in one currency. */
  private async orderable(trx: Database, input: PlaceOrder): Promise<PhoneModelRow[]> {
    const found = new Map((await repo.modelsByIds(trx, input.items.map((i) => i.modelId))).map((m) => [m.id, m]));
    return input.items.map((item, i) => {
      const model = found.get(item.modelId);
      if (!model) throw new InvalidField(`items.${i}.modelId`, 'no such phone model');
      if (!model.available) throw new InvalidField(`items.${i}.modelId`, `${model.name} cannot be ordered now`);
      const first = found.get(input.items[0]!.modelId)!;
      if (model.currency !== first.currency) throw new InvalidField(`items.${i}.modelId`, `priced in ${model.currency}; the order is in ${first.currency}`);
      return model;
    });
  }

  /** MACs of one order are distinct and not yet any account's device. */
  private async checkMacsFree(trx: Database, macsByItem: string[][]): Promise<void> {
    const all = macsByItem.flat();
    const taken = await repo.macsTaken(trx, all);
    const seen = new Set<string>();
    macsByItem.forEach((macs, i) =>
      macs.forEach((mac, j) => {
        if (seen.has(mac)) throw new InvalidField(`items.${i}.macs.${j}`, 'this MAC appears twice in the order');
        if (taken.has(mac)) throw new Conflict(`items.${i}.macs.${j}`, 'a device with this MAC is already registered');
        seen.add(mac);
      }),
    );
  }

  private async post(trx: Database, caller: Caller, order: PhoneOrderRow, kind: 'adjustment' | 'refund', amountMinor: number, what: string) {
    const entry = ledgerEntryInput.parse({
      accountId: order.account_id,
      kind,
      amountMinor,
      currency: order.currency,
      memo: `phone order ${order.id}: ${what}`,
      createdBy: caller.label,
    });
    await postEntryIn(trx, entry);
  }

  private async audited(trx: Database, caller: Caller, row: PhoneOrderRow, action: string, before?: PhoneOrder): Promise<PhoneOrder> {
    const after = toPhoneOrder(row, await repo.itemsOf(trx, [row.id]));
    await recordAudit(trx, caller, { accountId: row.account_id, entity: 'phone_order', entityId: row.id, action, before, after });
    return after;
  }

  private async found(db: Database, accountId: string, id: string, lock = false): Promise<PhoneOrderRow> {
    const row = await repo.orderById(db, accountId, id, lock);
    if (!row) throw new NotFound('phone order');
    return row;
  }
}

function ownerOnly(error: unknown): never {
  if (error instanceof Forbidden) throw new Forbidden('only the owner buys phones');
  throw error;
}
