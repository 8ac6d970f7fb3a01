// Charging plans (seed 004): staff (the operator or the reseller above) write an
// account's plans — prices are theirs to set — and the account's owner and
// admins read them and choose each subaccount's plan. A prepaid plan's initial
// credit reaches the shared balance the first time a subaccount gets the plan.
import { type Caller, type ChangeDeps, committedChange, reachAccount, recordAudit } from '../accounts/index.js';
import { type ChargingPlan, postEntryIn } from '../billing/index.js';
import { type Database, translatingConstraints } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import { balanceCurrency } from './balance.repository.js';
import * as repo from './charging-plan.repository.js';
import { type PlanInput, type PlanView, toPlanView } from './charging.schemas.js';

export class ChargingPlans {
  constructor(private readonly deps: ChangeDeps) {}

  async list(caller: Caller, accountId: string): Promise<PlanView[]> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    return (await repo.plansOf(this.deps.db, accountId)).map(toPlanView);
  }

  async get(caller: Caller, accountId: string, planId: string): Promise<PlanView> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    return toPlanView(await this.row(this.deps.db, accountId, planId));
  }

  async create(caller: Caller, accountId: string, input: PlanInput): Promise<PlanView> {
    return committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const { isDefault, ...plan } = input;
      await checkCurrency(trx, accountId, plan);
      if (isDefault) await repo.clearDefault(trx, accountId);
      const row = await translatingConstraints(() => repo.insertPlan(trx, { accountId, name: plan.name, definition: plan, isDefault }));
      const view = toPlanView(row);
      await recordAudit(trx, caller, { accountId, entity: 'charging_plan', entityId: row.id, action: 'create', after: view });
      return view;
    });
  }

  /** Replaces the plan's rules; calls already authorized keep what they reserved. */
  async replace(caller: Caller, accountId: string, planId: string, input: PlanInput): Promise<PlanView> {
    return committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const before = toPlanView(await this.row(trx, accountId, planId));
      const { isDefault, ...plan } = input;
      await checkCurrency(trx, accountId, plan);
      if (isDefault) await repo.clearDefault(trx, accountId, planId);
      const row = await translatingConstraints(() => repo.replacePlan(trx, planId, { name: plan.name, definition: plan, isDefault }));
      const after = toPlanView(row);
      await recordAudit(trx, caller, { accountId, entity: 'charging_plan', entityId: planId, action: 'update', before, after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, planId: string): Promise<void> {
    await committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'staff');
      const before = toPlanView(await this.row(trx, accountId, planId));
      const users = await repo.subaccountsOnPlan(trx, planId);
      if (users.length > 0) throw new Conflict('planId', `subaccounts still have this plan: ${users.join(', ')}`);
      await repo.deletePlan(trx, planId);
      await recordAudit(trx, caller, { accountId, entity: 'charging_plan', entityId: planId, action: 'delete', before });
    });
  }

  /** Gives a subaccount a plan (or none: the account's default) and, once, a prepaid plan's initial credit. */
  async assign(caller: Caller, accountId: string, subaccountId: string, planId: string | null) {
    return committedChange(this.deps, async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const sub = await repo.subaccountForPlan(trx, accountId, subaccountId);
      if (!sub) throw new NotFound('subaccount');
      const plan = planId ? await this.row(trx, accountId, planId, 'chargingPlanId') : undefined;
      await repo.setSubaccountPlan(trx, subaccountId, planId);
      const credit = plan ? await giveInitialCredit(trx, caller, { ...sub, accountId }, plan.id, plan.definition as ChargingPlan) : 0;
      await recordAudit(trx, caller, {
        accountId,
        entity: 'subaccount',
        entityId: subaccountId,
        action: 'charging plan',
        before: { chargingPlanId: sub.charging_plan_id },
        after: { chargingPlanId: planId, initialCreditMinor: credit },
      });
      return { subaccountId, chargingPlanId: planId, initialCreditMinor: credit };
    });
  }

  private async row(db: Database, accountId: string, planId: string, field?: string) {
    const row = await repo.planById(db, accountId, planId);
    if (row) return row;
    if (field) throw new InvalidField(field, 'no charging plan of this account has this id');
    throw new NotFound('charging plan');
  }
}

/** A plan's prices are in the currency of the account's balance, once it has one. */
async function checkCurrency(db: Database, accountId: string, plan: ChargingPlan): Promise<void> {
  const currency = await balanceCurrency(db, accountId);
  if (currency && currency !== plan.currency) {
    throw new InvalidField('currency', `the account's balance is in ${currency}; its plans must be too`);
  }
}

async function giveInitialCredit(
  trx: Database,
  caller: Caller,
  sub: { id: string; name: string; accountId: string },
  planId: string,
  plan: ChargingPlan,
): Promise<number> {
  const { outgoing, incoming } = plan.initialCreditMinor;
  const amount = outgoing + incoming;
  if (plan.billing !== 'prepaid' || amount === 0) return 0;
  if (await repo.initialCreditGiven(trx, sub.id, planId)) return 0;
  const posted = await postEntryIn(trx, {
    accountId: sub.accountId,
    subaccountId: sub.id,
    kind: 'initial_credit',
    amountMinor: amount,
    currency: plan.currency,
    callUuid: null,
    memo: `initial credit of plan "${plan.name}" for ${sub.name}: ${outgoing} outgoing + ${incoming} incoming`,
    createdBy: caller.label,
  });
  if (!posted.entry) throw new Error('initial credit not posted');
  await repo.recordInitialCredit(trx, sub.id, planId, posted.entry.id);
  return amount;
}
