// Public surface of registrations: binding rules, their storage, bans.
export { type BindingChange, type ContactRequest, type ExpiryLimits, type RegisterPlan, type RegisterRequest, contactHeader, macHints, planRegister, sourceUri } from './bindings.js';
export * as registrationRepository from './registration.repository.js';
export type { SipIdentity, Source } from './registration.repository.js';
export { Registrations, ban, registration, type Registration } from './registrations.js';
export * as callRepository from './call.repository.js';
export { type CallDirection, type TrunkLimits, type TrunkUsage, looksOnNet, trunkAdmits } from './trunks.js';
export { RegisterBatcher } from './register-batcher.js';
export { type OneContactRegister, type RegisterAnswer, type SipIdentityRow, type StoredBinding, allSipIdentities, sipIdentitiesFingerprint } from './register-batch.repository.js';
