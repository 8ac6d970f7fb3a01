// Public surface of charging: charging plans and the plan of each subaccount,
// rate decks, balances and the ledger as the API shows them, the switch's call
// authorization and settlement, and call-cost reports. (billing/ holds the pure
// rating core and the ledger primitives these build on.)
export { Balances } from './balances.js';
export { CallCharging, type CallToCharge, type ChargeDecision, type CdrToCharge } from './call-charging.js';
export { CallRequests, callAnswer, callCharged, callEnded, callQuestion } from './call-requests.js';
export { ChargingPlans } from './charging-plans.js';
export * as chargingSchemas from './charging.schemas.js';
export { DeckCache, RateDecks, type DeckImport, type DeckView, deckView, toDeckView } from './rate-decks.js';
export { Reports, reportQuery, type MonthlyReport, type ReportQuery } from './reports.js';
export { majorUnits, reportCsv, reportPdf } from './report-files.js';
