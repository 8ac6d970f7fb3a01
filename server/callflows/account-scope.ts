// Who may see and change call flows. They are account configuration: the
// operator, the account's reseller, its owner and admins see and change them;
// a `user` login (bound to one subaccount) gets 403 on every call-flow route —
// nothing in them is its own, and an empty list would pretend there are none.
import { type Caller, type ChangeDeps, committedChange, lockAccount, reachAccount } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { InvalidField } from '../errors.js';

export async function reachCallFlows(db: Database, caller: Caller, accountId: string): Promise<AccountRow> {
  return reachAccount(db, caller, accountId, 'manage');
}

/**
 * Runs one call-flow change in a transaction that holds the account row: the
 * checks (extensions shared with subaccounts, chains and menu loops across the
 * account's call flows) read several tables, so changes in one account take turns.
 */
export function changeCallFlows<T>(
  deps: ChangeDeps,
  caller: Caller,
  accountId: string,
  work: (trx: Database, account: AccountRow) => Promise<T>,
): Promise<T> {
  return committedChange(deps, async (trx) => {
    const account = await reachCallFlows(trx, caller, accountId);
    if (account.kind !== 'account') throw new InvalidField('accountId', 'call flows belong to customer accounts');
    await lockAccount(trx, accountId);
    return work(trx, account);
  });
}

/** The fields a PATCH carries (absent ones keep their value; null is a value). */
export function present<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
