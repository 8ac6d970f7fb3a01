// Public surface of the local number inventory: operator stock, search by area code, purchase and release.
export { type InventoryDeps, NumberInventory } from './inventory.js';
export * as inventorySchemas from './inventory.schemas.js';
