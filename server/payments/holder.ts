// Who may touch an account's cards and money (seed 002: "the Owner … has the
// ability to change credit card information"): the account's own top login —
// the owner of a customer account, the reseller login of its own reseller
// account. Staff above the account may see which cards exist (brand, last
// four) to help, but not add, remove or charge them: the card holder's consent
// is theirs to give. Admins and users get 403.
import { type Caller, reachAccount } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { Forbidden } from '../errors.js';

export function holdsAccount(caller: Caller, accountId: string): boolean {
  return caller.accountId === accountId && (caller.role === 'owner' || caller.role === 'reseller');
}

/** The account, when the caller holds it: 404 when not visible, 403 for every other role. */
export async function reachAsHolder(db: Database, caller: Caller, accountId: string): Promise<AccountRow> {
  const account = await reachAccount(db, caller, accountId, 'owner');
  if (!holdsAccount(caller, accountId)) throw new Forbidden('only the account owner adds, removes or charges cards');
  return account;
}
