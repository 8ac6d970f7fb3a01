// Public surface of registrations: binding rules, their storage, bans.
export { type BindingChange, type ContactRequest, type ExpiryLimits, type RegisterPlan, type RegisterRequest, contactHeader, planRegister } from './bindings.js';
export * as registrationRepository from './registration.repository.js';
export type { SipIdentity, Source } from './registration.repository.js';
export { Registrations, ban, registration, type Registration } from './registrations.js';
