// Public surface of the billing feature: call classes, charging plans, rate
// decks and the pure rating core. Balances, ledger and invoices join later.
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
