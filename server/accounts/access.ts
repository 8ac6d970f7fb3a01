// Who may see and change what. Visibility first (a tenant the caller cannot see
// is "not found", the same as one that does not exist), then capability (a role
// that may see but not do gets "forbidden").
import type { AccountRow, Database, Role } from '../db/index.js';
import { Forbidden, NotFound } from '../errors.js';

export interface Caller {
  /** null for the operator CLI and other in-process callers */
  userId: string | null;
  /** shown in the audit log: an email, or `cli` */
  label: string;
  role: Role;
  accountId: string;
  subaccountId: string | null;
}

/** What a route needs of the caller in the account it touches. */
export type Capability = 'read' | 'manage' | 'owner' | 'staff';

const ALLOWED: Record<Capability, readonly Role[]> = {
  read: ['operator', 'reseller', 'owner', 'admin', 'user'],
  manage: ['operator', 'reseller', 'owner', 'admin'],
  owner: ['operator', 'reseller', 'owner'],
  staff: ['operator', 'reseller'],
};

export const isStaff = (caller: Caller) => caller.role === 'operator' || caller.role === 'reseller';

export function can(caller: Caller, capability: Capability): boolean {
  return ALLOWED[capability].includes(caller.role);
}

export function canSee(caller: Caller, account: Pick<AccountRow, 'id' | 'lineage'>): boolean {
  if (caller.role === 'operator') return true;
  if (caller.role === 'reseller') return account.lineage.includes(caller.accountId);
  return account.id === caller.accountId;
}

/**
 * Loads the account `accountId` as the caller may reach it: 404 when it is not
 * visible to them, 403 when visible but their role lacks `capability`.
 */
export async function reachAccount(
  db: Database,
  caller: Caller,
  accountId: string,
  capability: Capability,
): Promise<AccountRow> {
  const account = await db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!account || !canSee(caller, account)) throw new NotFound('account');
  if (!can(caller, capability)) throw new Forbidden();
  return account;
}

/** For the `user` role: the only subaccount it may see. */
export function ownSubaccountOnly(caller: Caller): string | null | undefined {
  return caller.role === 'user' ? caller.subaccountId : undefined;
}
