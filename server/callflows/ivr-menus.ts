// IVR-menu operations. Every key and the fallback point at a destination of
// the account (or a number), and no change may leave callers in a loop of
// menus with no way out (routing's validateMenus over the account's menus).
import crypto from 'node:crypto';
import { type Caller, type ChangeDeps, destinationField, recordAudit } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type Destination, Directory, type IvrMenu } from '../routing/index.js';
import { changeCallFlows, present, reachCallFlows } from './account-scope.js';
import { destinationProblem, menuErrorsIntroduced, snapshotWith } from './checks.js';
import { directorySnapshot } from './directory.js';
import * as repo from './ivr-menu.repository.js';
import { type CreateIvrMenu, type IvrMenuFilter, type IvrMenuView, type UpdateIvrMenu, toIvrMenu } from './ivr-menu.schemas.js';
import { referencesTo } from './references.repository.js';

export class IvrMenus {
  constructor(private readonly deps: ChangeDeps) {}

  async list(caller: Caller, accountId: string, filter: IvrMenuFilter): Promise<Page<IvrMenuView>> {
    await reachCallFlows(this.deps.db, caller, accountId);
    const { rows, total } = await repo.listIvrMenus(this.deps.db, accountId, filter);
    const options = await repo.optionsOf(this.deps.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toIvrMenu(r, options.get(r.id) ?? [])), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<IvrMenuView> {
    await reachCallFlows(this.deps.db, caller, accountId);
    return this.view(this.deps.db, accountId, id);
  }

  async create(caller: Caller, accountId: string, input: CreateIvrMenu): Promise<IvrMenuView> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const menu: IvrMenu = { ...input, id: crypto.randomUUID(), accountId };
      await this.check(trx, account, menu);
      await repo.insertIvrMenu(trx, menu);
      await repo.replaceOptions(trx, menu);
      const created = await this.view(trx, accountId, menu.id);
      await recordAudit(trx, caller, { accountId, entity: 'ivr_menu', entityId: menu.id, action: 'create', after: created });
      return created;
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateIvrMenu): Promise<IvrMenuView> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const before = await this.view(trx, accountId, id);
      const { createdAt: _c, updatedAt: _u, ...current } = before;
      const menu: IvrMenu = { ...current, ...present(input) };
      await this.check(trx, account, menu);
      await repo.updateIvrMenuRow(trx, menu);
      if (input.options !== undefined) await repo.replaceOptions(trx, menu);
      const after = await this.view(trx, accountId, id);
      await recordAudit(trx, caller, { accountId, entity: 'ivr_menu', entityId: id, action: 'update', before, after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await changeCallFlows(this.deps, caller, accountId, async (trx) => {
      const before = await this.view(trx, accountId, id);
      const routing = await referencesTo(trx, accountId, ['ivr_menu'], id);
      if (routing.length > 0) throw new Conflict('destination', `calls are still routed to this IVR menu by ${routing.join(', ')}`);
      await repo.deleteIvrMenuRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'ivr_menu', entityId: id, action: 'delete', before });
    });
  }

  private async view(db: Database, accountId: string, id: string): Promise<IvrMenuView> {
    const row = await repo.ivrMenuById(db, accountId, id);
    if (!row) throw new NotFound('IVR menu');
    const options = await repo.optionsOf(db, [id]);
    return toIvrMenu(row, options.get(id) ?? []);
  }

  private async check(db: Database, account: AccountRow, menu: IvrMenu): Promise<void> {
    const snapshot = await directorySnapshot(db, account.id);
    const directory = new Directory(snapshot);
    const exits = Object.entries(menu.options).map(([key, d]): [string, Destination | undefined] => [`options.${key}`, d]);
    for (const [at, destination] of [...exits, ['fallback', menu.fallback] as const]) {
      if (!destination) continue;
      const problem = destinationProblem(directory, account, destination);
      if (problem) throw new InvalidField(destinationField(at, destination), problem);
    }
    const introduced = menuErrorsIntroduced(snapshot, snapshotWith(snapshot, { ivrMenu: menu }), account.id);
    const own = introduced.find((e) => e.menuId === menu.id);
    if (own) throw new InvalidField(own.field, own.message);
    // The change traps callers of another menu that led out through this one.
    const other = introduced[0];
    if (other) throw new InvalidField('options', `${other.message} (IVR menu ${directory.ivrMenu(other.menuId)?.name ?? other.menuId})`);
  }
}
