// Public surface of call detail records (written by server/switch, read here).
export { Cdrs, cdr, cdrFilter, cdrPage, type Cdr, type CdrFilter } from './cdrs.js';
export { type NewCdr, recordCdr } from './cdr.repository.js';
