// Public surface of service requests (seed 002): tickets for porting, number
// removal, MAC addition, owner change, toll-free numbers and cancellation,
// worked by staff; completing one applies its effect. Closing cancelled accounts.
export { ServiceRequests, type ServiceRequestDeps } from './requests.js';
export { closeAccountsEvery, closeDueAccounts, periodEnd } from './closing.js';
export * as requestSchemas from './request.schemas.js';
