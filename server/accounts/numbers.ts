// Number operations. Staff assign numbers to accounts and take them back
// (an owner's removal goes through a service request, seed 002); owners and
// admins choose where a number rings.
import type { Database } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type Caller, reachAccount } from './access.js';
import { recordAudit } from './audit.js';
import { toE164 } from './fields.js';
import * as repo from './number.repository.js';
import {
  type CreateNumber,
  type Destination,
  type NumberFilter,
  type PhoneNumber,
  type UpdateNumber,
  toPhoneNumber,
} from './number.schemas.js';

export class Numbers {
  constructor(private readonly deps: { db: Database }) {}

  async list(caller: Caller, accountId: string, filter: NumberFilter): Promise<Page<PhoneNumber>> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    const only = caller.role === 'user' ? caller.subaccountId : undefined;
    const { rows, total } = await repo.listNumbers(this.deps.db, accountId, filter, only);
    return { items: rows.map(toPhoneNumber), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<PhoneNumber> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    const row = await repo.numberById(this.deps.db, accountId, id);
    if (!row || (caller.role === 'user' && row.destination_subaccount_id !== caller.subaccountId)) throw new NotFound('number');
    return toPhoneNumber(row);
  }

  async create(caller: Caller, accountId: string, input: CreateNumber): Promise<PhoneNumber> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'staff');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'numbers belong to customer accounts');
      const e164 = toE164(input.number, account.country);
      if (!e164) throw new InvalidField('number', `not a valid phone number for ${account.country} or in +E.164 form`);
      await this.checkDestination(trx, accountId, input.destination);
      const row = await translatingConstraints(() =>
        repo.insertNumber(trx, {
          account_id: accountId,
          e164,
          label: input.label,
          destination_subaccount_id: input.destination?.id ?? null,
        }),
      ).catch((error: unknown) => {
        if (error instanceof Conflict) throw new Conflict('number', `${e164} is already assigned`);
        throw error;
      });
      const created = toPhoneNumber(row);
      await recordAudit(trx, caller, { accountId, entity: 'number', entityId: row.id, action: 'create', after: created });
      return created;
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateNumber): Promise<PhoneNumber> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const before = await repo.numberById(trx, accountId, id);
      if (!before) throw new NotFound('number');
      if (input.destination !== undefined) await this.checkDestination(trx, accountId, input.destination);
      const row = await repo.updateNumberRow(trx, id, {
        label: input.label,
        destination_subaccount_id: input.destination === undefined ? undefined : (input.destination?.id ?? null),
      });
      const after = toPhoneNumber(row);
      await recordAudit(trx, caller, { accountId, entity: 'number', entityId: id, action: 'update', before: toPhoneNumber(before), after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const before = await repo.numberById(trx, accountId, id);
      if (!before) throw new NotFound('number');
      await repo.deleteNumberRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'number', entityId: id, action: 'delete', before: toPhoneNumber(before) });
    });
  }

  private async checkDestination(db: Database, accountId: string, destination: Destination | null): Promise<void> {
    if (!destination) return;
    const found = await db
      .selectFrom('subaccounts')
      .select('id')
      .where('id', '=', destination.id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!found) throw new InvalidField('destination.id', 'no such subaccount in this account');
  }
}
