// Usage charges of an account (seed 003): settings, manual top-up by card,
// the alerts, charges and outbox they leave, and the job that checks balances
// (runUsageChecks, every N seconds; afterBalanceChange, after a ledger debit).
import crypto from 'node:crypto';
import { type Caller, reachAccount, recordAudit } from '../accounts/index.js';
import { balanceOf } from '../billing/index.js';
import type { Database } from '../db/index.js';
import { Forbidden, InvalidField, NotFound, PaymentDeclined } from '../errors.js';
import type { Page, PageQuery } from '../paging.js';
import { type PaymentMethods, holdsAccount, paymentMethodSchemas, reachAsHolder } from '../payments/index.js';
import type { SecretBox } from '../secrets.js';
import { chargeAndRecord } from './charges.js';
import { type CheckResult, checkAccount } from './checks.js';
import { type Mailer, deliverDue } from './delivery.js';
import * as repo from './usage.repository.js';
import {
  type Alert,
  type Charge,
  type OutboxItem,
  type PutUsageSettings,
  type TopupInput,
  type UsageSettings,
  toAlert,
  toCharge,
  toOutboxItem,
  toUsageSettings,
} from './usage.schemas.js';

export interface UsageDeps {
  db: Database;
  box: SecretBox;
  payments: PaymentMethods;
  /** undefined: no SMTP server; alert emails are kept in the outbox */
  mailer: Mailer | undefined;
}

export interface UsageRun {
  accounts: number;
  recharges: number;
  alerts: number;
  deliveries: number;
}

/** Two auto-recharge settings that charge alike (all disabled ones do). */
function sameRecharge(a: UsageSettings['autoRecharge'], b: UsageSettings['autoRecharge']): boolean {
  if (!a.enabled && !b.enabled) return true;
  return a.enabled === b.enabled && a.belowMinor === b.belowMinor && a.amountMinor === b.amountMinor && a.maxPerDay === b.maxPerDay;
}

export class Usage {
  constructor(private readonly deps: UsageDeps) {}

  async settings(caller: Caller, accountId: string): Promise<UsageSettings> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    return toUsageSettings(accountId, await repo.settingsOf(this.deps.db, accountId));
  }

  /** Replaces the settings. Alerts: staff, owner and admins; auto-recharge charges the owner's card, so only the owner changes it. */
  async putSettings(caller: Caller, accountId: string, input: PutUsageSettings): Promise<UsageSettings> {
    return this.deps.db.transaction().execute(async (trx) => {
      await reachAccount(trx, caller, accountId, 'manage');
      const before = await repo.lockedSettings(trx, accountId);
      const shown = toUsageSettings(accountId, before);
      if (!sameRecharge(shown.autoRecharge, input.autoRecharge) && !holdsAccount(caller, accountId)) {
        throw new Forbidden('only the account owner sets up auto-recharge: it charges their card');
      }
      const secret = input.webhookSecret === undefined ? (before?.webhook_secret_enc ?? null) : this.deps.box.seal(input.webhookSecret);
      if (input.webhookUrl !== null && secret === null) throw new InvalidField('webhookSecret', 'a webhook needs a secret to sign its calls');
      const row = await repo.upsertSettings(trx, {
        account_id: accountId,
        alert_threshold_minor: input.alertThresholdMinor,
        alert_emails: [...new Set(input.alertEmails)],
        webhook_url: input.webhookUrl,
        webhook_secret_enc: input.webhookUrl === null ? null : secret,
        recharge_enabled: input.autoRecharge.enabled,
        recharge_below_minor: input.autoRecharge.belowMinor,
        recharge_amount_minor: input.autoRecharge.amountMinor,
        recharge_max_per_day: input.autoRecharge.maxPerDay,
      });
      const after = toUsageSettings(accountId, row);
      await recordAudit(trx, caller, { accountId, entity: 'usage_settings', entityId: accountId, action: 'update', before: shown, after });
      return after;
    });
  }

  /** Charges a card of the account and credits the balance; a refused card is a 402 and writes nothing to the ledger. */
  async topup(caller: Caller, accountId: string, input: TopupInput): Promise<{ charge: Charge; balanceMinor: number }> {
    await reachAsHolder(this.deps.db, caller, accountId);
    const key = `topup:${accountId}:${input.idempotencyKey ?? crypto.randomUUID()}`;
    const earlier = await repo.chargeByKey(this.deps.db, key);
    const row = earlier ?? (await this.pendingTopup(accountId, input, key));
    const recorded = row.status === 'pending' ? await chargeAndRecord(this.deps, row, new Date()) : { charge: row };
    const charge = toCharge(recorded.charge);
    if (charge.status !== 'succeeded') {
      throw new PaymentDeclined(`the card was ${charge.status === 'expired' ? 'refused' : 'declined'}: ${charge.reason ?? 'declined'}; nothing was charged`);
    }
    await recordAudit(this.deps.db, caller, { accountId, entity: 'charge', entityId: charge.id, action: 'top-up', after: charge });
    return { charge, balanceMinor: (await balanceOf(this.deps.db, accountId)).balanceMinor };
  }

  private async pendingTopup(accountId: string, input: TopupInput, key: string) {
    const balance = await balanceOf(this.deps.db, accountId);
    const currency = balance.currency ?? input.currency;
    if (!currency) throw new InvalidField('currency', 'the account has no balance yet: name its currency');
    if (input.currency && input.currency !== currency) throw new InvalidField('currency', `the account's balance is in ${currency}`);
    const card = input.paymentMethodId
      ? await this.deps.payments.methodOf(this.deps.db, accountId, input.paymentMethodId)
      : await this.deps.payments.defaultOf(this.deps.db, accountId);
    if (!card) {
      if (input.paymentMethodId) throw new NotFound('payment method');
      throw new InvalidField('paymentMethodId', 'the account has no default card: add one first');
    }
    if (paymentMethodSchemas.hasExpired({ expMonth: card.exp_month, expYear: card.exp_year }, new Date())) {
      throw new InvalidField('expiry', 'this card has expired: add a new one');
    }
    const row = await repo.insertCharge(this.deps.db, {
      account_id: accountId, payment_method_id: card.id, kind: 'topup', idempotency_key: key,
      amount_minor: input.amountMinor, currency,
    });
    return row ?? (await repo.chargeByKey(this.deps.db, key))!;
  }

  async alerts(caller: Caller, accountId: string, page: PageQuery): Promise<Page<Alert>> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const { rows, total } = await repo.alertsOf(this.deps.db, accountId, page);
    return { items: rows.map(toAlert), total, ...page };
  }

  async charges(caller: Caller, accountId: string, query: PageQuery & { kind?: 'topup' | 'auto_recharge' | undefined }): Promise<Page<Charge>> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const { rows, total } = await repo.chargesOf(this.deps.db, accountId, query.kind, query);
    return { items: rows.map(toCharge), total, limit: query.limit, offset: query.offset };
  }

  async outbox(caller: Caller, accountId: string, page: PageQuery): Promise<Page<OutboxItem>> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const { rows, total } = await repo.outboxOf(this.deps.db, accountId, page);
    return { items: rows.map(toOutboxItem), total, ...page };
  }

  /**
   * The job: checks every account with a threshold or auto-recharge, then
   * delivers due notifications. One account's failure does not stop the
   * others; the failures are thrown together at the end.
   */
  async runUsageChecks(now: Date = new Date()): Promise<UsageRun> {
    const run: UsageRun = { accounts: 0, recharges: 0, alerts: 0, deliveries: 0 };
    const failures: unknown[] = [];
    for (const accountId of await repo.accountsToCheck(this.deps.db)) {
      const result = await this.check(accountId, now).catch((error: unknown) => void failures.push(error));
      run.accounts += 1;
      if (result?.recharge) run.recharges += 1;
      if (result?.alerted) run.alerts += 1;
    }
    run.deliveries = await deliverDue(this.deps, now);
    if (failures.length > 0) throw new AggregateError(failures, `usage checks failed for ${failures.length} account(s)`);
    return run;
  }

  /** For call settlement and other debits: checks this one account at once and delivers what it raised. */
  async afterBalanceChange(accountId: string, now: Date = new Date()): Promise<void> {
    await this.check(accountId, now);
    await deliverDue(this.deps, now);
  }

  private check(accountId: string, now: Date): Promise<CheckResult> {
    return checkAccount({ ...this.deps, emailsStored: !this.deps.mailer }, accountId, now);
  }
}
