// SQL that writes CDRs: once per call uuid, whoever reports the call (the
// switch's hangup event, a second controller on the same FreeSWITCH, the calls API).
import type { Database } from '../db/index.js';
import type { CdrTable } from '../db/schema.js';

export type NewCdr = Omit<CdrTable, 'recorded_at'>;

/** Records the CDR once; true when this call was new. */
export async function recordCdr(db: Database, cdr: NewCdr): Promise<boolean> {
  const result = await db.insertInto('cdrs').values(cdr).onConflict((oc) => oc.column('call_uuid').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
