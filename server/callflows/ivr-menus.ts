// IVR-menu operations. Every key and the fallback point at a destination of
// the account (or a number), and no change may leave callers in a loop of
// menus with no way out (routing's validateMenus over the account's menus).
import { type ChangeDeps, destinationField } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { InvalidField } from '../errors.js';
import { type Destination, Directory, type IvrMenu } from '../routing/index.js';
import { CallFlows } from './call-flows.js';
import { destinationProblem, menuErrorsIntroduced, snapshotWith } from './checks.js';
import { directorySnapshot } from './directory.js';
import { ivrMenuStorage } from './ivr-menu.repository.js';
import { type CreateIvrMenu, type IvrMenuFilter, type IvrMenuView, type UpdateIvrMenu, toIvrMenu } from './ivr-menu.schemas.js';

export class IvrMenus extends CallFlows<'ivr_menus', IvrMenu, IvrMenuView, CreateIvrMenu, UpdateIvrMenu, IvrMenuFilter> {
  constructor(deps: ChangeDeps) {
    super(deps, { entity: 'ivr_menu', noun: 'IVR menu', storage: ivrMenuStorage, view: toIvrMenu, childField: 'options' });
  }

  protected override async check(db: Database, account: AccountRow, menu: IvrMenu): Promise<void> {
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
