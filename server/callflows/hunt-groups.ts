// Hunt-group operations. Members are phone subaccounts of the account or
// external numbers; the extension, when set, is dialed like a subaccount's and
// is shared with them; the fallback is any destination of the account, but
// not one that leads back to the group.
import { type ChangeDeps, destinationField } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, InvalidField } from '../errors.js';
import { Directory, type HuntGroup, isEmergency } from '../routing/index.js';
import { CallFlows } from './call-flows.js';
import { chainBack, destinationProblem, memberProblem, snapshotWith } from './checks.js';
import { directorySnapshot } from './directory.js';
import { huntGroupStorage } from './hunt-group.repository.js';
import {
  type CreateHuntGroup,
  type HuntGroupFilter,
  type HuntGroupView,
  type UpdateHuntGroup,
  toHuntGroup,
} from './hunt-group.schemas.js';

export class HuntGroups extends CallFlows<'hunt_groups', HuntGroup, HuntGroupView, CreateHuntGroup, UpdateHuntGroup, HuntGroupFilter> {
  constructor(deps: ChangeDeps) {
    super(deps, {
      entity: 'hunt_group',
      noun: 'hunt group',
      storage: huntGroupStorage,
      view: toHuntGroup,
      childField: 'members',
      searched: ['name', 'extension'],
      saving: translatingConstraints,
    });
  }

  protected override async check(db: Database, account: AccountRow, group: HuntGroup): Promise<void> {
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
