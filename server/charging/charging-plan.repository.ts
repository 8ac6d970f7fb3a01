// SQL for charging plans, the plan each subaccount has, and the initial credit
// a prepaid plan gives once per subaccount.
import type { ChargingPlanRow, Database } from '../db/index.js';

export async function plansOf(db: Database, accountId: string): Promise<ChargingPlanRow[]> {
  return db.selectFrom('charging_plans').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
}

export async function planById(db: Database, accountId: string, id: string): Promise<ChargingPlanRow | undefined> {
  return db.selectFrom('charging_plans').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

export async function insertPlan(
  trx: Database,
  plan: { accountId: string; name: string; definition: unknown; isDefault: boolean },
): Promise<ChargingPlanRow> {
  return trx
    .insertInto('charging_plans')
    .values({ account_id: plan.accountId, name: plan.name, definition: JSON.stringify(plan.definition), is_default: plan.isDefault })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function replacePlan(
  trx: Database,
  id: string,
  plan: { name: string; definition: unknown; isDefault: boolean },
): Promise<ChargingPlanRow> {
  return trx
    .updateTable('charging_plans')
    .set({ name: plan.name, definition: JSON.stringify(plan.definition), is_default: plan.isDefault, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Clears the account's default flag, so another plan can take it. */
export async function clearDefault(trx: Database, accountId: string, exceptId?: string): Promise<void> {
  let query = trx.updateTable('charging_plans').set({ is_default: false }).where('account_id', '=', accountId).where('is_default', '=', true);
  if (exceptId) query = query.where('id', '<>', exceptId);
  await query.execute();
}

export async function deletePlan(trx: Database, id: string): Promise<void> {
  await trx.deleteFrom('charging_plans').where('id', '=', id).execute();
}

/** Names of the subaccounts on a plan (a plan in use cannot be deleted). */
export async function subaccountsOnPlan(db: Database, planId: string): Promise<string[]> {
  const rows = await db.selectFrom('subaccounts').select('name').where('charging_plan_id', '=', planId).orderBy('name').limit(5).execute();
  return rows.map((r) => r.name);
}

export async function subaccountForPlan(db: Database, accountId: string, subaccountId: string) {
  return db
    .selectFrom('subaccounts')
    .select(['id', 'name', 'charging_plan_id'])
    .where('account_id', '=', accountId)
    .where('id', '=', subaccountId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setSubaccountPlan(trx: Database, subaccountId: string, planId: string | null): Promise<void> {
  await trx.updateTable('subaccounts').set({ charging_plan_id: planId, updated_at: new Date() }).where('id', '=', subaccountId).execute();
}

export async function initialCreditGiven(trx: Database, subaccountId: string, planId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('initial_credits')
    .select('ledger_entry_id')
    .where('subaccount_id', '=', subaccountId)
    .where('charging_plan_id', '=', planId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordInitialCredit(trx: Database, subaccountId: string, planId: string, entryId: number): Promise<void> {
  await trx.insertInto('initial_credits').values({ subaccount_id: subaccountId, charging_plan_id: planId, ledger_entry_id: entryId }).execute();
}

/**
 * The plan that rates a subaccount's calls — its own, else the account's
 * default — or, with no subaccount, the account's default.
 */
export async function effectivePlan(db: Database, accountId: string, subaccountId: string | null): Promise<ChargingPlanRow | undefined> {
  if (subaccountId) {
    const own = await db
      .selectFrom('subaccounts')
      .innerJoin('charging_plans', 'charging_plans.id', 'subaccounts.charging_plan_id')
      .selectAll('charging_plans')
      .where('subaccounts.id', '=', subaccountId)
      .executeTakeFirst();
    if (own) return own;
  }
  return db.selectFrom('charging_plans').selectAll().where('account_id', '=', accountId).where('is_default', '=', true).executeTakeFirst();
}

/** Every plan with the subaccounts on it, for the routing directory. */
export async function planAssignments(db: Database, accountId?: string) {
  let query = db.selectFrom('charging_plans').selectAll();
  if (accountId) query = query.where('account_id', '=', accountId);
  const plans = await query.execute();
  let subs = db.selectFrom('subaccounts').select(['id', 'charging_plan_id']).where('charging_plan_id', 'is not', null);
  if (accountId) subs = subs.where('account_id', '=', accountId);
  return { plans, subaccounts: await subs.execute() };
}
