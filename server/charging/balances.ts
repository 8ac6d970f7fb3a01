// The account's money as the API shows it: the shared balance (seed 000), the
// ledger behind it, entries staff post by hand (a payment received, a refund, a
// correction), and per-subaccount credit limits on the shared funds.
import { type Caller, reachAccount, recordAudit } from '../accounts/index.js';
import { balanceOf, postEntryIn } from '../billing/index.js';
import type { Database } from '../db/index.js';
import { NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import * as repo from './balance.repository.js';
import { type LedgerFilter, type StaffEntry, toLedgerEntry } from './charging.schemas.js';

type LedgerView = ReturnType<typeof toLedgerEntry>;

export class Balances {
  constructor(private readonly deps: { db: Database }) {}

  async balance(caller: Caller, accountId: string) {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    const b = await balanceOf(this.deps.db, accountId);
    return { accountId, currency: b.currency ?? null, balanceMinor: b.balanceMinor, heldMinor: b.heldMinor, availableMinor: b.availableMinor };
  }

  /** The ledger, newest first; a `user` sees only its own subaccount's entries. */
  async ledger(caller: Caller, accountId: string, filter: LedgerFilter): Promise<Page<LedgerView>> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    const only = caller.role === 'user' ? caller.subaccountId : undefined;
    const { rows, total } = await repo.ledgerPage(this.deps.db, accountId, filter, only);
    return { items: rows.map(toLedgerEntry), total, limit: filter.limit, offset: filter.offset };
  }

  async post(caller: Caller, accountId: string, input: StaffEntry): Promise<LedgerView> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      if (input.subaccountId && !(await repo.subaccountOf(trx, accountId, input.subaccountId))) throw new NotFound('subaccount');
      const posted = await postEntryIn(trx, {
        ...input,
        accountId,
        callUuid: null,
        memo: input.memo,
        createdBy: caller.label,
      });
      if (!posted.entry) throw new Error('ledger entry not posted');
      const view = toLedgerEntry(posted.entry);
      await recordAudit(trx, caller, { accountId, entity: 'ledger', entityId: String(view.id), action: input.kind, after: view });
      return view;
    });
  }

  async setCreditLimit(caller: Caller, accountId: string, subaccountId: string, limitMinor: number | null) {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      if (!(await repo.subaccountOf(trx, accountId, subaccountId))) throw new NotFound('subaccount');
      await repo.setCreditLimit(trx, subaccountId, limitMinor);
      await recordAudit(trx, caller, { accountId, entity: 'subaccount', entityId: subaccountId, action: 'credit limit', after: { limitMinor } });
      return { limitMinor };
    });
  }
}
