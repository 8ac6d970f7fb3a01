// Service requests: the account side (owner, admins) files and comments; staff
// (the operator, the reseller above the account) see the requests of accounts
// beneath them, assign themselves, comment, and move them open → in_progress →
// done / rejected. Moving to done applies the request's effect in the same
// transaction, so a failed effect leaves the request as it was.
import { type Caller, type ChangeDeps, type RoutingTargets, committedChange, isStaff, reachAccount, recordAudit } from '../accounts/index.js';
import type { AccountRow, Database, ServiceRequestRow } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import type { SecretBox } from '../secrets.js';
import { type EffectDeps, applyEffect } from './effects.js';
import { checkFiling } from './filing.js';
import * as repo from './request.repository.js';
import {
  type FileRequest,
  NEXT,
  OWNER_ONLY,
  type RequestFilter,
  type RevealedPin,
  type ServiceRequest,
  type Transition,
  toServiceRequest,
} from './request.schemas.js';

export interface ServiceRequestDeps extends ChangeDeps, EffectDeps {
  box: SecretBox;
  targets: RoutingTargets;
  /** the clock that decides when a cancellation takes effect */
  now?: () => Date;
}

const KIND_NAMES: Record<ServiceRequestRow['kind'], string> = {
  porting: 'porting',
  number_removal: 'number removal',
  mac_addition: 'MAC addition',
  owner_change: 'owner change',
  toll_free: 'toll-free',
  cancellation: 'cancellation',
};

export class ServiceRequests {
  constructor(private readonly deps: ServiceRequestDeps) {}

  async file(caller: Caller, accountId: string, input: FileRequest): Promise<ServiceRequest> {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, OWNER_ONLY.has(input.kind) ? 'owner' : 'manage').catch((error: unknown) => {
        if (error instanceof Forbidden) throw new Forbidden(`only the owner files a ${KIND_NAMES[input.kind]} request`);
        throw error;
      });
      if (account.kind !== 'account') throw new InvalidField('accountId', 'service requests are filed for customer accounts');
      const filed = await checkFiling(trx, account, input, this.deps);
      const row = await repo.insertRequest(trx, {
        account_id: accountId,
        kind: input.kind,
        details: filed.details,
        secret_enc: filed.secretEnc,
        filed_by_user_id: caller.userId,
        filed_by: caller.label,
      });
      const created = toServiceRequest(row, []);
      await recordAudit(trx, caller, { accountId, entity: 'service_request', entityId: row.id, action: `file ${input.kind}`, after: created });
      return created;
    });
  }

  async list(caller: Caller, accountId: string, filter: RequestFilter): Promise<Page<ServiceRequest>> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    return this.page(await repo.listRequests(this.deps.db, filter, { accountId }), filter);
  }

  /** Staff: the requests of every account beneath them. */
  async queue(caller: Caller, filter: RequestFilter): Promise<Page<ServiceRequest>> {
    if (!isStaff(caller)) throw new Forbidden('the request queue is for the operator and resellers');
    const under = caller.role === 'operator' ? null : caller.accountId;
    return this.page(await repo.listRequests(this.deps.db, filter, { under }), filter);
  }

  async get(caller: Caller, accountId: string, id: string): Promise<ServiceRequest> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    return this.view(this.deps.db, await this.found(this.deps.db, accountId, id));
  }

  /** Staff move the request; done applies its effect in the same transaction. */
  async transition(caller: Caller, accountId: string, id: string, input: Transition): Promise<ServiceRequest> {
    return committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'staff');
      const before = await this.found(trx, accountId, id, true);
      if (!NEXT[before.status].includes(input.status)) {
        throw new Conflict('status', `a request that is ${before.status} cannot move to ${input.status}`);
      }
      if (input.status === 'rejected' && !input.reason) throw new InvalidField('reason', 'a rejection needs a reason');
      const now = this.deps.now?.() ?? new Date();
      const outcome = input.status === 'done' ? await this.effect(trx, caller, account, before, input, now) : undefined;
      const closing = input.status !== 'in_progress';
      const row = await repo.updateRequestRow(trx, id, {
        status: input.status,
        ...(input.status === 'rejected' ? { reject_reason: input.reason } : {}),
        ...(outcome ? { outcome } : {}),
        ...(closing ? { closed_at: now, handled_by_user_id: caller.userId, handled_by: caller.label } : {}),
        ...(before.assignee === null ? { assignee_user_id: caller.userId, assignee: caller.label } : {}),
      });
      if (input.reason && input.status !== 'rejected') await this.addComment(trx, caller, id, input.reason);
      return this.audited(trx, caller, before, row, `${before.status} → ${input.status}`);
    });
  }

  /** Staff take the request on. */
  async assignSelf(caller: Caller, accountId: string, id: string): Promise<ServiceRequest> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const before = await this.found(trx, accountId, id, true);
      const row = await repo.updateRequestRow(trx, id, { assignee_user_id: caller.userId, assignee: caller.label });
      return this.audited(trx, caller, before, row, 'assign');
    });
  }

  async comment(caller: Caller, accountId: string, id: string, body: string): Promise<ServiceRequest> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const row = await this.found(trx, accountId, id, true);
      await this.addComment(trx, caller, id, body);
      await recordAudit(trx, caller, { accountId, entity: 'service_request', entityId: id, action: 'comment' });
      return this.view(trx, await repo.updateRequestRow(trx, row.id, {}));
    });
  }

  /**
   * Staff only: the porting PIN, to hand to the losing carrier. Never in a
   * request's view or the audit log; each reveal is audited (who, when —
   * not the PIN). Only while the request is open or in progress: once it is
   * done or rejected nobody needs it any more (409 on `status`).
   */
  async revealPin(caller: Caller, accountId: string, id: string): Promise<RevealedPin> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const row = await this.found(trx, accountId, id);
      if (row.status === 'done' || row.status === 'rejected') throw new Conflict('status', `the request is ${row.status}: its PIN is no longer shown`);
      await recordAudit(trx, caller, { accountId, entity: 'service_request', entityId: id, action: 'reveal carrier PIN' });
      return { carrierPin: row.secret_enc === null ? null : this.deps.box.open(row.secret_enc) };
    });
  }

  private async effect(trx: Database, caller: Caller, account: AccountRow, before: ServiceRequestRow, transition: Transition, now: Date) {
    const details = before.details as never;
    try {
      return await applyEffect(before.kind, { trx, caller, account, details, transition, now, deps: this.deps });
    } catch (error) {
      // Say which request could not be completed; the field stays the one the effect named.
      if (error instanceof Conflict) throw new Conflict(error.field ?? 'status', `cannot complete this ${KIND_NAMES[before.kind]} request: ${error.message}`);
      throw error;
    }
  }

  private async addComment(trx: Database, caller: Caller, requestId: string, body: string): Promise<void> {
    await repo.insertComment(trx, {
      request_id: requestId,
      author_user_id: caller.userId,
      author: caller.label,
      side: isStaff(caller) ? 'staff' : 'account',
      body,
    });
  }

  private async audited(trx: Database, caller: Caller, before: ServiceRequestRow, row: ServiceRequestRow, action: string) {
    const after = await this.view(trx, row);
    await recordAudit(trx, caller, {
      accountId: row.account_id,
      entity: 'service_request',
      entityId: row.id,
      action,
      before: toServiceRequest(before, []),
      after: { ...after, comments: undefined },
    });
    return after;
  }

  private async found(db: Database, accountId: string, id: string, lock = false): Promise<ServiceRequestRow> {
    const row = await repo.requestById(db, accountId, id, lock);
    if (!row) throw new NotFound('service request');
    return row;
  }

  private async view(db: Database, row: ServiceRequestRow): Promise<ServiceRequest> {
    return toServiceRequest(row, await repo.commentsOf(db, [row.id]));
  }

  private async page(result: { rows: ServiceRequestRow[]; total: number }, filter: RequestFilter): Promise<Page<ServiceRequest>> {
    const comments = await repo.commentsOf(this.deps.db, result.rows.map((r) => r.id));
    return { items: result.rows.map((r) => toServiceRequest(r, comments)), total: result.total, limit: filter.limit, offset: filter.offset };
  }
}
