// Public surface of phone orders (seed 002: the owner buys supported phones):
// the catalogue with its prices, and orders paid through the ledger.
export { PhoneCatalogue, PhoneOrders } from './orders.js';
export * as orderSchemas from './order.schemas.js';
