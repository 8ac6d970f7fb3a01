// Public surface of subscriptions: seats and numbers' monthly fees with
// proration posted to the ledger, the billing job and monthly invoices. The
// services over billing's pure proration and invoice composition; a folder of
// their own because they reach accounts (access, audit), and accounts already
// depends on billing through routing.
export { type NumberStart, type SubscriptionDeps, Subscriptions } from './subscriptions.js';
export { type BillingCycle, type InvoiceDeps, type InvoiceFile, Invoices } from './invoices.js';
export * as subscriptionSchemas from './subscription.schemas.js';
export * as invoiceSchemas from './invoice.schemas.js';
