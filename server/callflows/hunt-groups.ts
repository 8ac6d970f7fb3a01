// Hunt-group operations. Members are phone subaccounts of the account or
// external numbers; the extension, when set, is dialed like a subaccount's and
// is shared with them; the fallback is any destination of the account, but
// not one that leads back to the group.
import crypto from 'node:crypto';
import { type Caller, type ChangeDeps, destinationField, recordAudit } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { Directory, type HuntGroup, isEmergency } from '../routing/index.js';
import { changeCallFlows, present, reachCallFlows } from './account-scope.js';
import { chainBack, destinationProblem, memberProblem, snapshotWith } from './checks.js';
import { directorySnapshot } from './directory.js';
import * as repo from './hunt-group.repository.js';
import {
  type CreateHuntGroup,
  type HuntGroupFilter,
  type HuntGroupView,
  type UpdateHuntGroup,
  toHuntGroup,
} from './hunt-group.schemas.js';
import { referencesTo } from './references.repository.js';

export class HuntGroups {
  constructor(private readonly deps: ChangeDeps) {}

  async list(caller: Caller, accountId: string, filter: HuntGroupFilter): Promise<Page<HuntGroupView>> {
    await reachCallFlows(this.deps.db, caller, accountId);
    const { rows, total } = await repo.listHuntGroups(this.deps.db, accountId, filter);
    const members = await repo.membersOf(this.deps.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toHuntGroup(r, members.get(r.id) ?? [])), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<HuntGroupView> {
    await reachCallFlows(this.deps.db, caller, accountId);
    return this.view(this.deps.db, accountId, id);
  }

  async create(caller: Caller, accountId: string, input: CreateHuntGroup): Promise<HuntGroupView> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const group: HuntGroup = { ...input, id: crypto.randomUUID(), accountId };
      await this.check(trx, account, group);
      await translatingConstraints(() => repo.insertHuntGroup(trx, group));
      await repo.replaceMembers(trx, group);
      const created = await this.view(trx, accountId, group.id);
      await recordAudit(trx, caller, { accountId, entity: 'hunt_group', entityId: group.id, action: 'create', after: created });
      return created;
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateHuntGroup): Promise<HuntGroupView> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const before = await this.view(trx, accountId, id);
      const { createdAt: _c, updatedAt: _u, ...current } = before;
      const group: HuntGroup = { ...current, ...present(input) };
      await this.check(trx, account, group);
      await translatingConstraints(() => repo.updateHuntGroupRow(trx, group, input.members !== undefined));
      if (input.members !== undefined) await repo.replaceMembers(trx, group);
      const after = await this.view(trx, accountId, id);
      await recordAudit(trx, caller, { accountId, entity: 'hunt_group', entityId: id, action: 'update', before, after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await changeCallFlows(this.deps, caller, accountId, async (trx) => {
      const before = await this.view(trx, accountId, id);
      const routing = await referencesTo(trx, accountId, ['hunt_group'], id);
      if (routing.length > 0) throw new Conflict('destination', `calls are still routed to this hunt group by ${routing.join(', ')}`);
      await repo.deleteHuntGroupRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'hunt_group', entityId: id, action: 'delete', before });
    });
  }

  private async view(db: Database, accountId: string, id: string): Promise<HuntGroupView> {
    const row = await repo.huntGroupById(db, accountId, id);
    if (!row) throw new NotFound('hunt group');
    const members = await repo.membersOf(db, [id]);
    return toHuntGroup(row, members.get(id) ?? []);
  }

  private async check(db: Database, account: AccountRow, group: HuntGroup): Promise<void> {
    const snapshot = await directorySnapshot(db, account.id);
    const directory = new Directory(snapshot);
    if (group.extension) checkExtension(directory, account, group.id, group.extension);
    const member = memberProblem(directory, account, group.members);
    if (member) throw new InvalidField(member.field, member.message);
    if (!group.fallback) return;
    const field = destinationField('fallback', group.fallback);
    const problem = destinationProblem(directory, account, group.fallback);
    if (problem) throw new InvalidField(field, problem);
    const after = new Directory(snapshotWith(snapshot, { huntGroup: group }));
    const circle = chainBack(after, { kind: 'hunt_group', id: group.id }, group.fallback);
    if (circle) throw new InvalidField(field, `calls would go round in a circle: ${circle.join(' → ')}`);
  }
}

/** One extension, one thing to ring: not a subaccount's, not another group's, not an emergency number. */
function checkExtension(directory: Directory, account: AccountRow, groupId: string, extension: string): void {
  if (isEmergency(extension, account.country)) {
    throw new InvalidField('extension', `${extension} is an emergency number in ${account.country}`);
  }
  const sub = directory.subaccountByExtension(account.id, extension);
  if (sub) throw new Conflict('extension', `extension ${extension} is already in use by subaccount ${sub.name}`);
  const other = directory.huntGroupByExtension(account.id, extension);
  if (other && other.id !== groupId) throw new Conflict('extension', `extension ${extension} is already in use by hunt group ${other.name}`);
}
