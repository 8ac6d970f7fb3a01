// What completing a request of each kind does to the account, run by the
// existing features inside the transaction that moves the request to done: if
// the effect fails, nothing of it and no state change is written.
import type { Caller, Devices, Numbers, Users } from '../accounts/index.js';
import type { AccountRow, Database, ServiceRequestKind } from '../db/index.js';
import { InvalidField } from '../errors.js';
import type { Destination } from '../routing/index.js';
import { periodEnd, scheduleClosing } from './closing.js';
import type { RequestInput, Transition } from './request.schemas.js';

export interface EffectDeps {
  numbers: Numbers;
  devices: Devices;
  users: Users;
}

interface EffectContext<K extends ServiceRequestKind> {
  trx: Database;
  caller: Caller;
  account: AccountRow;
  /** the stored details: the filed input without its kind (and without a secret) */
  details: Omit<RequestInput<K>, 'kind'>;
  transition: Transition;
  now: Date;
  deps: EffectDeps;
}

type Effect<K extends ServiceRequestKind> = (ctx: EffectContext<K>) => Promise<Record<string, unknown>>;

async function addNumbers(ctx: EffectContext<ServiceRequestKind>, numbers: string[], label: string, destination: Destination | null) {
  const added: string[] = [];
  for (const number of numbers) {
    const created = await ctx.deps.numbers.createIn(ctx.trx, ctx.caller, ctx.account.id, { number, label, destination });
    added.push(created.e164);
  }
  return { numbers: added };
}

export const EFFECTS: { [K in ServiceRequestKind]: Effect<K> } = {
  porting: (ctx) => addNumbers(ctx, ctx.details.numbers, `ported from ${ctx.details.losingCarrier}`.slice(0, 120), ctx.details.destination),
  number_removal: async (ctx) => {
    // Numbers.releaseIn also ends the number's monthly fee and restocks it, in this transaction
    const released = await ctx.deps.numbers.releaseIn(ctx.trx, ctx.caller, ctx.account.id, ctx.details.number);
    return { released: released.e164 };
  },
  mac_addition: async (ctx) => {
    const { mac, vendor, model, label, lines } = ctx.details;
    const device = await ctx.deps.devices.createIn(ctx.trx, ctx.caller, ctx.account.id, { mac, vendor, model, label, lines });
    return { deviceId: device.id };
  },
  owner_change: async (ctx) => {
    const moved = await ctx.deps.users.transferOwnershipIn(ctx.trx, ctx.caller, ctx.account.id, ctx.details.newOwnerUserId ?? '');
    return { previousOwner: moved.from, newOwner: moved.to };
  },
  toll_free: (ctx) => {
    const assigned = ctx.transition.assignedNumbers ?? [];
    if (assigned.length !== ctx.details.count) {
      throw new InvalidField('assignedNumbers', `the ${ctx.details.count} toll-free number(s) assigned are required to complete`);
    }
    return addNumbers(ctx, assigned, 'toll-free', ctx.details.destination);
  },
  cancellation: async (ctx) => {
    const closesAt = periodEnd(ctx.now, ctx.account.timezone);
    await scheduleClosing(ctx.trx, ctx.caller, ctx.account.id, closesAt);
    return { closesAt: closesAt.toISOString() };
  },
};

export function applyEffect(kind: ServiceRequestKind, ctx: EffectContext<ServiceRequestKind>): Promise<Record<string, unknown>> {
  return (EFFECTS[kind] as Effect<ServiceRequestKind>)(ctx);
}
