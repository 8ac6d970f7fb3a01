// Public surface of the payments feature: the provider contract, the built-in
// test provider, and an account's payment methods (cards as provider tokens).
export { holdsAccount, reachAsHolder } from './holder.js';
export { PaymentMethods, type PaymentMethodsDeps } from './payment-methods.js';
export * as paymentMethodSchemas from './payment-method.schemas.js';
export type { CardDetails, CardInput, ChargeOutcome, PaymentProvider } from './provider.js';
export { TEST_CARDS, TestPaymentProvider } from './test-provider.js';
