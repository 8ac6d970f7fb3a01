// Public surface of the billing feature: call classes, charging plans, rate
// decks, the pure rating core, and the ledger: balances, call authorization
// (reserve what the balance covers) and settlement (charge a CDR once);
// proration by days and the composition of monthly invoices (pure; the
// services that use them live in subscriptions/).
export {
  CALL_CLASSES,
  CALL_DIRECTIONS,
  EXTERNAL_CLASSES,
  ON_NET_CLASSES,
  type CallClass,
  type CallDirection,
  type ExternalClass,
  type OnNetClass,
  callClass,
  isOnNet,
} from './call-class.js';
export { RateDeckIndex, type RateLookup } from './deck-index.js';
export { MAX_BILLSEC, MAX_MONEY_MICROS, decimalToMicros, microsToMinorCeil, minorUnitExponent } from './money.js';
export {
  type CallPermission,
  type ChargingPlan,
  type ChargingPlanInput,
  type ChargingSegments,
  type Price,
  callAllowed,
  chargingPlan,
  chargingSegments,
  price,
  priceFor,
} from './plan.js';
export { DECK_COLUMNS, type DeckError, type DeckRow, type ParseOptions, type ParsedDeck, parseRateDeck } from './rate-deck.js';
export { type Cdr, type RatedCharge, type Unrated, billableSeconds, ratedCharge } from './rating.js';
export {
  LEDGER_ENTRY_KINDS,
  type Balance,
  type LedgerEntry,
  type LedgerEntryInput,
  type PostOptions,
  type Posted,
  balanceOf,
  ledgerEntryInput,
  postEntry,
  postEntryIn,
} from './ledger.js';
export {
  DEFAULT_MAX_CALL_SECONDS,
  type AuthorizeOptions,
  type Authorization,
  type CallToAuthorize,
  type CdrToSettle,
  type Settlement,
  authorizeCall,
  releaseStale,
  releaseUnused,
  reservedSecondsOf,
  settleCall,
} from './authorization.js';
export { type LocalParts, type MonthBounds, localInstant, localMidnight, localParts, monthBounds, monthOf } from './calendar.js';
export { type CallCostReport, type ReportCall, type ReportLine, callCostReport } from './call-report.js';
export {
  type BillingPeriod,
  type ChangeProration,
  billingPeriodAt,
  billingPeriodNamed,
  changeProration,
  daysFromAdd,
  daysFromRemove,
  lastEndedPeriod,
  localDate,
  proratedMinor,
} from './proration.js';
export {
  type InvoiceDocument,
  type InvoiceEntry,
  type InvoiceInput,
  type InvoiceSubaccount,
  composeInvoice,
  taxMinor,
} from './invoice.js';
export { formatMinor, invoiceCsv, invoicePdf, pdfkit } from './invoice-files.js';
