// The call-flows side of accounts' RoutingTargets: whether a number (or
// anything else) may route to a destination, what still routes to a
// subaccount, and which extensions hunt groups hold.
import type { RoutingTargets } from '../accounts/index.js';
import { Directory } from '../routing/index.js';
import { destinationProblem } from './checks.js';
import { directorySnapshot } from './directory.js';
import { huntGroupExtensions, referencesTo, referencesToNumber } from './references.repository.js';

export const callFlowTargets: RoutingTargets = {
  async problemWith(db, account, destination) {
    const directory = new Directory(await directorySnapshot(db, account.id));
    return destinationProblem(directory, account, destination);
  },
  // A subaccount is reached as `subaccount`, and as `conference` when it is one.
  routingTo: (db, accountId, entity) =>
    referencesTo(db, accountId, entity.kind === 'subaccount' ? ['subaccount', 'conference'] : [entity.kind], entity.id),
  forwardingTo: (db, accountId, e164) => referencesToNumber(db, accountId, e164),
  otherExtensions: (db, accountId) => huntGroupExtensions(db, accountId),
};
