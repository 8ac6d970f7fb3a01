// Registrations as the API shows them: a subaccount's bindings (who can see the
// subaccount can see them; managers drop them) and the SIP address bans (operator).
import { z } from 'zod';
import { type Caller, reachAccount } from '../accounts/index.js';
import { Forbidden, NotFound } from '../errors.js';
import type { Database, RegistrationRow } from '../db/index.js';

import * as repo from './registration.repository.js';

export const registration = z.object({
  id: z.string(),
  contact: z.string(),
  sourceAddress: z.string(),
  sourcePort: z.number().int(),
  transport: z.string(),
  userAgent: z.string(),
  instanceId: z.string().nullable(),
  expiresAt: z.string(),
  registeredAt: z.string(),
});
export type Registration = z.infer<typeof registration>;

export const ban = z.object({ address: z.string(), reason: z.string(), bannedUntil: z.string(), createdAt: z.string() });

function toRegistration(row: RegistrationRow): Registration {
  return {
    id: row.id,
    contact: row.contact,
    sourceAddress: row.source_address,
    sourcePort: row.source_port,
    transport: row.transport,
    userAgent: row.user_agent,
    instanceId: row.instance_id,
    expiresAt: row.expires_at.toISOString(),
    registeredAt: row.created_at.toISOString(),
  };
}

export class Registrations {
  constructor(private readonly deps: { db: Database; now?: () => Date }) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  async list(caller: Caller, accountId: string, subaccountId: string): Promise<{ items: Registration[] }> {
    await this.reachSubaccount(caller, accountId, subaccountId, 'read');
    const rows = await repo.currentBindings(this.deps.db, subaccountId, this.now());
    return { items: rows.map(toRegistration) };
  }

  async drop(caller: Caller, accountId: string, subaccountId: string, id: string): Promise<void> {
    await this.reachSubaccount(caller, accountId, subaccountId, 'manage');
    const result = await this.deps.db
      .deleteFrom('registrations')
      .where('id', '=', id)
      .where('subaccount_id', '=', subaccountId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFound('registration');
  }

  async bans(caller: Caller) {
    if (caller.role !== 'operator') throw new Forbidden('only the operator manages SIP bans');
    const rows = await repo.activeBans(this.deps.db, this.now());
    return {
      items: rows.map((r) => ({ address: r.address, reason: r.reason, bannedUntil: r.banned_until.toISOString(), createdAt: r.created_at.toISOString() })),
    };
  }

  async liftBan(caller: Caller, address: string): Promise<void> {
    if (caller.role !== 'operator') throw new Forbidden('only the operator manages SIP bans');
    if (!(await repo.liftBan(this.deps.db, address))) throw new NotFound('ban');
  }

  private async reachSubaccount(caller: Caller, accountId: string, subaccountId: string, capability: 'read' | 'manage') {
    await reachAccount(this.deps.db, caller, accountId, capability);
    if (caller.role === 'user' && caller.subaccountId !== subaccountId) throw new NotFound('subaccount');
    const sub = await this.deps.db
      .selectFrom('subaccounts')
      .select('id')
      .where('id', '=', subaccountId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!sub) throw new NotFound('subaccount');
  }
}
