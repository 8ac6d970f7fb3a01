// Public surface of usage charges: settings, top-ups, threshold alerts,
// auto-recharge, the outbox and the job that runs them.
export { type Mailer, SIGNATURE_HEADER, MAX_ATTEMPTS, webhookSignature } from './delivery.js';
export { MAX_DECLINES_PER_CARD, RETRY_AFTER_DECLINE_MS, alertStep, localDay, rechargeDecision } from './policy.js';
export { UsageScheduler } from './scheduler.js';
export { SmtpMailer } from './smtp.js';
export { Usage, type UsageDeps, type UsageRun } from './usage.js';
export * as usageSchemas from './usage.schemas.js';
