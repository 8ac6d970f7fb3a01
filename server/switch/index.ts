// Public surface of the FreeSWITCH controller: the outbound-socket server that
// routes every call, and the inbound event connection that writes CDRs.
import { type NewCdr, recordCdr } from '../cdrs/index.js';
import type { CallCharging } from '../charging/index.js';
import type { Database } from '../db/index.js';
import type { Directory } from '../routing/index.js';
import type { SecretBox } from '../secrets.js';
import { REPORT_REALM, cdrFromHangup, cdrFromReport, reportsInDump } from './cdrs.js';
import { callController } from './controller.js';
import { type CallServer, type EventStream, listenForCalls, subscribe } from './esl.js';

export { REPORT_REALM, cdrFromHangup, cdrFromReport, reportingHook, reportsInDump } from './cdrs.js';
export { callController, callerOf } from './controller.js';
export { externalDialString, huntLegDialString, subaccountDialString } from './steps.js';

export interface SwitchConfig {
  listen: { host: string; port: number };
  freeswitch: { host: string; port: number; password: string } | undefined;
}

export interface Switch {
  close(): Promise<void>;
}

type Log = { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };

export async function startSwitch(deps: {
  config: SwitchConfig;
  db: Database;
  box: SecretBox;
  directory: () => Promise<Directory>;
  log: Log;
  charging: Pick<CallCharging, 'authorize' | 'settle' | 'release'>;
  trunks: { outboundFor(accountId: string): { id: string } | undefined };
}): Promise<Switch> {
  const { config, db, log } = deps;
  const server: CallServer = await listenForCalls(
    config.listen,
    callController({ db, box: deps.box, directory: deps.directory, log, charging: deps.charging, trunks: deps.trunks }),
    (error) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'call control failed'),
  );
  log.info({ listen: `${config.listen.host}:${config.listen.port}` }, 'FreeSWITCH controller listening');
  let events: EventStream | undefined;
  if (config.freeswitch) {
    const written = (error: unknown) => log.error({ err: (error as Error).message }, 'CDR not written or not charged');
    events = subscribe(
      config.freeswitch,
      ['CHANNEL_HANGUP_COMPLETE'],
      (h) => {
        const cdr = cdrFromHangup(h);
        if (!cdr) return;
        recordAndCharge(db, deps.charging, cdr)
          .then(() => events?.api(`hash delete/${REPORT_REALM}/${cdr.call_uuid}`))
          .catch(written);
      },
      log,
      () => void recoverReported(db, deps.charging, events!, log).catch(written),
    );
  }
  return {
    close: async () => {
      events?.close();
      await server.close();
    },
  };
}

/**
 * Writes the CDR and charges the call. Charging runs for a repeated event too:
 * settlement is idempotent (one charge per call uuid), and a first attempt that
 * failed after the CDR was written gets its second chance.
 */
async function recordAndCharge(db: Database, charging: Pick<CallCharging, 'settle'>, cdr: NewCdr): Promise<void> {
  await recordCdr(db, cdr);
  await charging.settle(cdr);
}

/**
 * CDRs of calls that ended while no controller listened: each left its fields
 * in FreeSWITCH's memory (mod_hash) at hang-up (cdrs.ts reportingHook). Recorded
 * and charged like any other (once per uuid), then deleted there.
 */
const FOREIGN_KEY_VIOLATION = '23503';

async function recoverReported(db: Database, charging: Pick<CallCharging, 'settle'>, events: EventStream, log: Log): Promise<void> {
  const reports = reportsInDump((await events.api(`hash_dump db ${REPORT_REALM}`)) ?? '');
  for (const { uuid, report } of reports) {
    const cdr = cdrFromReport(report);
    try {
      if (cdr) await recordAndCharge(db, charging, cdr);
    } catch (error) {
      // a call of an account this database does not know (another deployment on the same FreeSWITCH, a deleted
      // account) is dropped; anything else (the database away) keeps the report for the next reconnect
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
      log.warn({ uuid }, 'CDR report of an unknown account dropped');
    }
    await events.api(`hash delete/${REPORT_REALM}/${uuid}`);
  }
  if (reports.length > 0) log.info({ recovered: reports.length }, 'CDRs recovered from FreeSWITCH');
}
