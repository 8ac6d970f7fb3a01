// Web logins of an account. Roles fit the account kind; only the owner (or
// staff) touches the owner login (seed 002); a `user` sees only itself.
import type { AccountRow, Database, Role, UserRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { randomPassword } from '../secrets.js';
import { type Caller, can, isStaff, reachAccount } from './access.js';
import { recordAudit } from './audit.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as repo from './user.repository.js';
import { type CreateUser, type UpdateUser, type User, type UserFilter, toUser } from './user.schemas.js';

const ROLES_OF_KIND: Record<AccountRow['kind'], readonly Role[]> = {
  operator: ['operator'],
  reseller: ['reseller'],
  account: ['owner', 'admin', 'user'],
};

export class Users {
  constructor(private readonly deps: { db: Database }) {}

  async list(caller: Caller, accountId: string, filter: UserFilter): Promise<Page<User>> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    const onlySelf = caller.role === 'user' ? (caller.userId ?? '') : undefined;
    const { rows, total } = await repo.listUsers(this.deps.db, accountId, filter, onlySelf);
    return { items: rows.map(toUser), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<User> {
    await reachAccount(this.deps.db, caller, accountId, 'read');
    return toUser(await this.visibleUser(this.deps.db, caller, accountId, id));
  }

  async create(caller: Caller, accountId: string, input: CreateUser) {
    const password = input.password ?? randomPassword(16);
    const passwordHash = await hashPassword(password);
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      this.checkRole(caller, account, input.role);
      if (input.subaccountId) await this.checkSubaccount(trx, accountId, input.subaccountId);
      const row = await translatingConstraints(() =>
        repo.insertUser(trx, {
          account_id: accountId,
          email: input.email,
          name: input.name,
          password_hash: passwordHash,
          role: input.role,
          subaccount_id: input.subaccountId ?? null,
          timezone: input.timezone ?? null,
        }),
      ).catch(ownerConflict);
      const created = toUser(row);
      await recordAudit(trx, caller, { accountId, entity: 'user', entityId: row.id, action: 'create', after: created });
      return input.password === undefined ? { ...created, password } : created;
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateUser): Promise<User> {
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'read');
      const target = await this.visibleUser(trx, caller, accountId, id);
      const self = target.id === caller.userId;
      const adminFields = (['role', 'subaccountId', 'disabled'] as const).filter((f) => input[f] !== undefined);
      if (!self || adminFields.length > 0) {
        if (!can(caller, 'manage')) throw new Forbidden('you may change only your own name, timezone and password');
        if (target.role === 'owner' && !can(caller, 'owner')) throw new Forbidden('only the owner changes the owner login');
      }
      if (self && input.password !== undefined) {
        const ok = input.currentPassword !== undefined && (await verifyPassword(target.password_hash, input.currentPassword));
        if (!ok) throw new InvalidField('currentPassword', 'current password is wrong');
      }
      if (self && (input.role !== undefined || input.disabled === true)) throw new Forbidden('you cannot change your own role or disable yourself');
      if (input.role !== undefined && input.role !== target.role) this.checkRole(caller, account, input.role);
      if (input.subaccountId) await this.checkSubaccount(trx, accountId, input.subaccountId);
      const row = await translatingConstraints(() =>
        repo.updateUserRow(trx, id, {
          name: input.name,
          role: input.role,
          subaccount_id: input.subaccountId,
          timezone: input.timezone,
          disabled: input.disabled,
          password_hash: passwordHash,
        }),
      ).catch(ownerConflict);
      if (passwordHash || input.disabled) await repo.revokeUserTokens(trx, id, new Date());
      const after = toUser(row);
      await recordAudit(trx, caller, {
        accountId,
        entity: 'user',
        entityId: id,
        action: passwordHash ? 'update (password changed)' : 'update',
        before: toUser(target),
        after,
      });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const target = await this.visibleUser(trx, caller, accountId, id);
      if (target.id === caller.userId) throw new Forbidden('you cannot delete your own login');
      if (target.role === 'owner' && !isStaff(caller)) throw new Forbidden('the owner login changes hands through a service request');
      await repo.deleteUserRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'user', entityId: id, action: 'delete', before: toUser(target) });
    });
  }

  /**
   * Hands ownership to `newOwnerId` inside a transaction the caller (staff
   * completing an owner-change request) opened: the old owner becomes an
   * admin first, so the account has exactly one owner throughout.
   */
  async transferOwnershipIn(trx: Database, caller: Caller, accountId: string, newOwnerId: string): Promise<{ from: string | null; to: string }> {
    await reachAccount(trx, caller, accountId, 'staff');
    const target = await repo.userById(trx, newOwnerId);
    if (!target || target.account_id !== accountId) throw new Conflict('newOwner', 'the new owner is no longer a login of this account');
    if (target.role === 'owner') throw new Conflict('newOwner', 'this login is already the owner');
    if (target.disabled) throw new Conflict('newOwner', 'the new owner’s login is disabled');
    const old = await repo.ownerOf(trx, accountId);
    if (old) {
      await repo.updateUserRow(trx, old.id, { role: 'admin' });
      await recordAudit(trx, caller, { accountId, entity: 'user', entityId: old.id, action: 'update (owner → admin)', before: toUser(old), after: toUser({ ...old, role: 'admin' }) });
    }
    const after = await repo.updateUserRow(trx, target.id, { role: 'owner' });
    await recordAudit(trx, caller, { accountId, entity: 'user', entityId: target.id, action: 'update (became owner)', before: toUser(target), after: toUser(after) });
    return { from: old?.email ?? null, to: after.email };
  }

  private async visibleUser(db: Database, caller: Caller, accountId: string, id: string): Promise<UserRow> {
    const row = await repo.userById(db, id);
    if (!row || row.account_id !== accountId) throw new NotFound('user');
    if (caller.role === 'user' && row.id !== caller.userId) throw new NotFound('user');
    return row;
  }

  private checkRole(caller: Caller, account: AccountRow, role: Role): void {
    if (!ROLES_OF_KIND[account.kind].includes(role)) {
      throw new InvalidField('role', `a ${account.kind} account has logins of role ${ROLES_OF_KIND[account.kind].join(', ')}`);
    }
    if (role === 'owner' && !can(caller, 'owner')) throw new Forbidden('only the owner hands out ownership');
  }

  private async checkSubaccount(db: Database, accountId: string, subaccountId: string): Promise<void> {
    const found = await db.selectFrom('subaccounts').select('id').where('id', '=', subaccountId).where('account_id', '=', accountId).executeTakeFirst();
    if (!found) throw new InvalidField('subaccountId', 'no such subaccount in this account');
  }
}

function ownerConflict(error: unknown): never {
  if (error instanceof Conflict && error.field === 'owner') throw new Conflict('role', 'the account already has an owner');
  throw error;
}
