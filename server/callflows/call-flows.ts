// The operations every call flow has (hunt groups, IVR menus, schedules): list,
// get, create, update and remove inside the account, each change checked against
// the account's routing directory, audited, and refused while anything routes
// to what it removes. A kind of call flow brings its storage, its view and its check.
import crypto from 'node:crypto';
import { type Caller, type ChangeDeps, recordAudit } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { Conflict, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { changeCallFlows, present, reachCallFlows } from './account-scope.js';
import {
  type CallFlowRow,
  type CallFlowStorage,
  type CallFlowTable,
  type ChildRow,
  callFlowById,
  callFlowPage,
  childRowsOf,
  deleteCallFlow,
  insertCallFlow,
  replaceChildRows,
  updateCallFlow,
} from './call-flow.repository.js';
import { referencesTo } from './references.repository.js';

interface CallFlow {
  id: string;
  accountId: string;
}

type Stamped<E> = E & { createdAt: string; updatedAt: string };

export interface CallFlowKind<T extends CallFlowTable, E extends CallFlow, V extends Stamped<object>, U> {
  /** the destination kind and audit entity: `hunt_group` */
  entity: 'hunt_group' | 'ivr_menu' | 'schedule';
  /** how messages name one: `hunt group` */
  noun: string;
  storage: CallFlowStorage<T, E>;
  view(row: CallFlowRow<T>, children: readonly ChildRow<T>[]): V;
  /** the field of an update that replaces the child rows: `members` */
  childField: keyof U & string;
  /** `q` of a list matches these columns */
  searched?: readonly ('name' | 'extension')[];
  /** the call flow as it is saved (schedules sort their days and holidays) */
  tidied?: (entity: E) => E;
  /** runs a save (hunt groups: their unique extension becomes a Conflict) */
  saving?: <R>(work: () => Promise<R>) => Promise<R>;
}

type Filter = { q?: string | undefined; limit: number; offset: number };

export abstract class CallFlows<
  T extends CallFlowTable,
  E extends CallFlow,
  V extends Stamped<object>,
  C extends Omit<E, 'id' | 'accountId'>,
  U extends object,
  F extends Filter,
> {
  constructor(
    protected readonly deps: ChangeDeps,
    private readonly kind: CallFlowKind<T, E, V, U>,
  ) {}

  /** Throws a domain error when the account cannot route the call flow as it would be saved. */
  protected abstract check(db: Database, account: AccountRow, entity: E): Promise<void>;

  async list(caller: Caller, accountId: string, filter: F): Promise<Page<V>> {
    const { db } = this.deps;
    await reachCallFlows(db, caller, accountId);
    const { rows, total } = await callFlowPage(db, this.kind.storage.table, accountId, filter, this.kind.searched);
    const children = await childRowsOf(db, this.kind.storage.table, rows.map((r) => r.id));
    const items = rows.map((r) => this.kind.view(r, children.get(r.id) ?? []));
    return { items, total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<V> {
    await reachCallFlows(this.deps.db, caller, accountId);
    return this.view(this.deps.db, accountId, id);
  }

  async create(caller: Caller, accountId: string, input: C): Promise<V> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const entity = this.tidied({ ...input, id: crypto.randomUUID(), accountId } as unknown as E);
      await this.check(trx, account, entity);
      await this.saving(() => insertCallFlow(trx, this.kind.storage, entity));
      await replaceChildRows(trx, this.kind.storage, entity);
      const created = await this.view(trx, accountId, entity.id);
      await recordAudit(trx, caller, { accountId, entity: this.kind.entity, entityId: entity.id, action: 'create', after: created });
      return created;
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: U): Promise<V> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const before = await this.view(trx, accountId, id);
      const { createdAt: _c, updatedAt: _u, ...current } = before;
      const entity = this.tidied({ ...current, ...present(input) } as unknown as E);
      const childrenReplaced = input[this.kind.childField] !== undefined;
      await this.check(trx, account, entity);
      await this.saving(() => updateCallFlow(trx, this.kind.storage, entity, childrenReplaced));
      if (childrenReplaced) await replaceChildRows(trx, this.kind.storage, entity);
      const after = await this.view(trx, accountId, id);
      await recordAudit(trx, caller, { accountId, entity: this.kind.entity, entityId: id, action: 'update', before, after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await changeCallFlows(this.deps, caller, accountId, async (trx) => {
      const before = await this.view(trx, accountId, id);
      const routing = await referencesTo(trx, accountId, [this.kind.entity], id);
      if (routing.length > 0) {
        throw new Conflict('destination', `calls are still routed to this ${this.kind.noun} by ${routing.join(', ')}`);
      }
      await deleteCallFlow(trx, this.kind.storage.table, id);
      await recordAudit(trx, caller, { accountId, entity: this.kind.entity, entityId: id, action: 'delete', before });
    });
  }

  private async view(db: Database, accountId: string, id: string): Promise<V> {
    const row = await callFlowById(db, this.kind.storage.table, accountId, id);
    if (!row) throw new NotFound(this.kind.noun);
    const children = await childRowsOf(db, this.kind.storage.table, [id]);
    return this.kind.view(row, children.get(id) ?? []);
  }

  private tidied(entity: E): E {
    return this.kind.tidied ? this.kind.tidied(entity) : entity;
  }

  private saving<R>(work: () => Promise<R>): Promise<R> {
    return this.kind.saving ? this.kind.saving(work) : work();
  }
}
