// Number operations. Staff assign numbers to accounts and take them back
// (an owner's removal goes through a service request, seed 002); owners and
// admins choose where a number rings: any destination of the account, or a
// forward to another number.
import type { AccountRow, Database, PhoneNumberRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type Caller, reachAccount } from './access.js';
import { lockAccount } from './account.repository.js';
import { recordAudit } from './audit.js';
import { type ChangeDeps, committedChange } from './changes.js';
import { type RoutingTargets, destinationColumns, destinationField } from './destinations.js';
import { numberFormatOf } from './account.schemas.js';
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

/** A `user` sees the numbers that ring its own subaccount directly. */
const ringsSubaccount = (row: PhoneNumberRow, subaccountId: string | null) =>
  (row.destination_kind === 'subaccount' || row.destination_kind === 'conference') && row.destination_id === subaccountId;

const storedDestination = (destination: Destination | null) => {
  const c = destinationColumns(destination);
  return { destination_kind: c.kind, destination_id: c.id, destination_e164: c.e164 };
};

/** What removing a number needs from billing (features below never import it; the composition root wires it). */
export interface NumberRelease {
  beforeRemove(trx: Database, accountId: string, numberId: string, at: Date, by: string): Promise<unknown>;
}

export class Numbers {
  private release: NumberRelease | undefined;

  constructor(private readonly deps: ChangeDeps & { targets: RoutingTargets }) {}

  /** Set once billing runs: a removed number's fee ends and its stock returns, in the removal's transaction. */
  useRelease(release: NumberRelease): void {
    this.release = release;
  }

  async list(caller: Caller, accountId: string, filter: NumberFilter): Promise<Page<PhoneNumber>> {
    const account = await reachAccount(this.deps.db, caller, accountId, 'read');
    const only = caller.role === 'user' ? caller.subaccountId : undefined;
    const { rows, total } = await repo.listNumbers(this.deps.db, accountId, filter, only);
    return { items: rows.map((r) => toPhoneNumber(r, numberFormatOf(account))), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<PhoneNumber> {
    const account = await reachAccount(this.deps.db, caller, accountId, 'read');
    const row = await repo.numberById(this.deps.db, accountId, id);
    if (!row || (caller.role === 'user' && !ringsSubaccount(row, caller.subaccountId))) throw new NotFound('number');
    return toPhoneNumber(row, numberFormatOf(account));
  }

  async create(caller: Caller, accountId: string, input: CreateNumber): Promise<PhoneNumber> {
    return committedChange(this.deps, (trx) => this.createIn(trx, caller, accountId, input));
  }

  /** create() inside a transaction the caller opened (a service request's effect); the caller tells routing after commit. */
  async createIn(trx: Database, caller: Caller, accountId: string, input: CreateNumber): Promise<PhoneNumber> {
    const account = await reachAccount(trx, caller, accountId, 'staff');
    if (account.kind !== 'account') throw new InvalidField('accountId', 'numbers belong to customer accounts');
    const e164 = toE164(input.number, account.country);
    if (!e164) throw new InvalidField('number', `not a valid phone number for ${account.country} or in +E.164 form`);
    await this.checkDestination(trx, account, e164, input.destination);
    const row = await translatingConstraints(() =>
      repo.insertNumber(trx, { account_id: accountId, e164, label: input.label, ...storedDestination(input.destination) }),
    ).catch((error: unknown) => {
      if (error instanceof Conflict) throw new Conflict('number', `${e164} is already assigned`);
      throw error;
    });
    const created = toPhoneNumber(row, numberFormatOf(account));
    await recordAudit(trx, caller, { accountId, entity: 'number', entityId: row.id, action: 'create', after: created });
    return created;
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateNumber): Promise<PhoneNumber> {
    return committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      const before = await repo.numberById(trx, accountId, id);
      if (!before) throw new NotFound('number');
      if (input.destination !== undefined) await this.checkDestination(trx, account, before.e164, input.destination);
      const row = await repo.updateNumberRow(trx, id, {
        label: input.label,
        ...(input.destination === undefined ? {} : storedDestination(input.destination)),
      });
      const after = toPhoneNumber(row, numberFormatOf(account));
      await recordAudit(trx, caller, { accountId, entity: 'number', entityId: id, action: 'update', before: toPhoneNumber(before), after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const before = await repo.numberById(trx, accountId, id);
      if (!before) throw new NotFound('number');
      await this.release?.beforeRemove(trx, accountId, id, new Date(), caller.label);
      await repo.deleteNumberRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'number', entityId: id, action: 'delete', before: toPhoneNumber(before) });
    });
  }

  /**
   * Takes `e164` back from the account inside a transaction the caller opened
   * (a number-removal request's effect). Refused while anything of the account
   * still routes to the number: releasing it would leave that pointing at a
   * number the account no longer has.
   */
  async releaseIn(trx: Database, caller: Caller, accountId: string, e164: string): Promise<PhoneNumber> {
    const account = await reachAccount(trx, caller, accountId, 'staff');
    await lockAccount(trx, accountId);
    const row = await repo.numberByE164(trx, accountId, e164);
    if (!row) throw new Conflict('number', `${e164} is not a number of this account`);
    const users = await this.deps.targets.forwardingTo(trx, accountId, e164);
    if (users.length > 0) throw new Conflict('number', `${e164} is still a destination of ${users.join(', ')}: change those first`);
    await this.release?.beforeRemove(trx, accountId, row.id, new Date(), caller.label);
    await repo.deleteNumberRow(trx, row.id);
    const before = toPhoneNumber(row, numberFormatOf(account));
    await recordAudit(trx, caller, { accountId, entity: 'number', entityId: row.id, action: 'delete (released)', before });
    return before;
  }

  private async checkDestination(db: Database, account: AccountRow, e164: string, destination: Destination | null): Promise<void> {
    if (!destination) return;
    const field = destinationField('destination', destination);
    if (destination.kind === 'number' && destination.e164 === e164) throw new InvalidField(field, 'a number cannot forward to itself');
    // The destination may be a call flow being changed or removed right now: take turns with those changes.
    await lockAccount(db, account.id);
    const problem = await this.deps.targets.problemWith(db, account, destination);
    if (problem) throw new InvalidField(field, problem);
  }
}
