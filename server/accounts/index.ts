// Public surface of the accounts feature: tenancy, logins, subaccounts, devices, numbers, audit.
export { type Caller, type Capability, can, canSee, isStaff, reachAccount } from './access.js';
export { Accounts, type AccountSettings } from './accounts.js';
export { auditOf, recordAudit, type AuditRecord } from './audit.js';
export { type ChangeDeps, committedChange } from './changes.js';
export {
  type DestinationColumns,
  type RoutedEntity,
  type RoutingTargets,
  destinationColumns,
  destinationField,
  destinationFrom,
} from './destinations.js';
export { toE164 } from './fields.js';
export { type DeviceNotifier, Devices } from './devices.js';
export { type NumberRelease, Numbers } from './numbers.js';
export { INTERNATIONAL, NUMBER_FORMAT_STYLES, type NumberFormat, displayDialed, displayNumber } from './number-format.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { type SeatCheck, Subaccounts } from './subaccounts.js';
export { Users } from './users.js';
export * as accountSchemas from './account.schemas.js';
export * as deviceSchemas from './device.schemas.js';
export * as numberSchemas from './number.schemas.js';
export * as numberRepository from './number.repository.js';
export * as subaccountSchemas from './subaccount.schemas.js';
export * as userSchemas from './user.schemas.js';
export * as userRepository from './user.repository.js';
export { accountById, lockAccount, operatorAccount } from './account.repository.js';
