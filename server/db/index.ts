// Public surface of the storage layer.
export { openDatabase, type Database, type DatabaseTarget } from './connection.js';
export { migrateTo, migrateToLatest } from './migrate.js';
export { acquireDataDirLock, type DataDirLock } from './lock.js';
export { domainErrorFromDatabase, translatingConstraints } from './errors.js';
export { containing } from './patterns.js';
export type * from './schema.js';
