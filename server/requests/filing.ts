// What a request of each kind is checked against when filed, and what of it is
// stored: facts of the account (its numbers, subaccounts, logins) are checked
// now so a request staff cannot complete is refused with 400 naming the field.
// Completing re-checks them, since the account may have changed in between.
import type { RoutingTargets } from '../accounts/index.js';
import { destinationField, lockAccount } from '../accounts/index.js';
import type { AccountRow, Database, ServiceRequestKind } from '../db/index.js';
import { Conflict, InvalidField } from '../errors.js';
import type { Destination } from '../routing/index.js';
import type { SecretBox } from '../secrets.js';
import * as repo from './request.repository.js';
import { type FileRequest, type RequestInput, maskedPin } from './request.schemas.js';

export interface Filed {
  /** stored as `details`: the kind's fields, never a secret */
  details: Record<string, unknown>;
  /** sealed secret (porting PIN), or null */
  secretEnc: string | null;
}

interface FilingContext<K extends ServiceRequestKind> {
  db: Database;
  account: AccountRow;
  input: RequestInput<K>;
  targets: RoutingTargets;
  box: SecretBox;
}

type Check<K extends ServiceRequestKind> = (ctx: FilingContext<K>) => Promise<Filed>;

const withoutKind = <T extends { kind: string }>(input: T) => {
  const { kind: _kind, ...rest } = input;
  return rest;
};

async function checkDestination(ctx: Pick<FilingContext<ServiceRequestKind>, 'db' | 'account' | 'targets'>, destination: Destination | null): Promise<void> {
  if (!destination) return;
  const problem = await ctx.targets.problemWith(ctx.db, ctx.account, destination);
  if (problem) throw new InvalidField(destinationField('destination', destination), problem);
}

const CHECKS: { [K in ServiceRequestKind]: Check<K> } = {
  porting: async (ctx) => {
    const held = await repo.numbersHeld(ctx.db, ctx.account.id, ctx.input.numbers);
    const index = ctx.input.numbers.findIndex((n) => held.has(n));
    if (index >= 0) throw new InvalidField(`numbers.${index}`, 'already a number of this account');
    await checkDestination(ctx, ctx.input.destination);
    const { carrierPin, ...rest } = withoutKind(ctx.input);
    return {
      details: { ...rest, carrierPinMasked: carrierPin === undefined ? null : maskedPin(carrierPin) },
      secretEnc: carrierPin === undefined ? null : ctx.box.seal(carrierPin),
    };
  },
  number_removal: async (ctx) => {
    const held = await repo.numbersHeld(ctx.db, ctx.account.id, [ctx.input.number]);
    if (!held.has(ctx.input.number)) throw new InvalidField('number', 'not a number of this account');
    return { details: withoutKind(ctx.input), secretEnc: null };
  },
  mac_addition: async (ctx) => {
    if (await repo.macTaken(ctx.db, ctx.input.mac)) throw new Conflict('mac', 'a device with this MAC is already registered');
    const known = await repo.subaccountsHeld(ctx.db, ctx.account.id, ctx.input.lines.map((l) => l.subaccountId));
    const index = ctx.input.lines.findIndex((l) => !known.has(l.subaccountId));
    if (index >= 0) throw new InvalidField(`lines.${index}.subaccountId`, 'no such subaccount in this account');
    return { details: withoutKind(ctx.input), secretEnc: null };
  },
  owner_change: async (ctx) => {
    const { newOwnerUserId: id, newOwnerEmail: email } = ctx.input;
    const field = id ? 'newOwnerUserId' : 'newOwnerEmail';
    if ((id === undefined) === (email === undefined)) throw new InvalidField(field, 'give newOwnerUserId or newOwnerEmail (one of them)');
    const login = await repo.loginOf(ctx.db, ctx.account.id, id ? { id } : { email: email ?? '' });
    if (!login) throw new InvalidField(field, 'not a login of this account: add the new owner as a login first');
    if (login.role === 'owner') throw new InvalidField(field, 'this login is already the owner');
    if (login.disabled) throw new InvalidField(field, 'this login is disabled');
    return { details: { newOwnerUserId: login.id, newOwnerEmail: login.email }, secretEnc: null };
  },
  toll_free: async (ctx) => {
    await checkDestination(ctx, ctx.input.destination);
    return { details: withoutKind(ctx.input), secretEnc: null };
  },
  cancellation: async (ctx) => {
    // Two cancellations filed at once take turns here, so only one is ever pending.
    await lockAccount(ctx.db, ctx.account.id);
    if (await repo.hasPending(ctx.db, ctx.account.id, 'cancellation')) {
      throw new Conflict('kind', 'the account already has a cancellation request open');
    }
    if (ctx.account.status === 'closed') throw new Conflict('kind', 'the account is already closed');
    return { details: withoutKind(ctx.input), secretEnc: null };
  },
};

export function checkFiling(db: Database, account: AccountRow, input: FileRequest, deps: { targets: RoutingTargets; box: SecretBox }): Promise<Filed> {
  const check = CHECKS[input.kind] as Check<ServiceRequestKind>;
  return check({ db, account, input: input, targets: deps.targets, box: deps.box });
}
