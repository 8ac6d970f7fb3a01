// Public surface of carrier trunks.
export { Trunks, TrunkDirectory, type TrunkRoute } from './trunks.js';
export * as trunkSchemas from './trunk.schemas.js';
