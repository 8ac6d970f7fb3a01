// Public surface of the FreeSWITCH controller: the outbound-socket server that
// routes every call, and the inbound event connection that writes CDRs.
import type { Database } from '../db/index.js';
import type { Directory } from '../routing/index.js';
import type { SecretBox } from '../secrets.js';
import { cdrFromHangup, recordCdr } from './cdrs.js';
import { callController } from './controller.js';
import { type CallServer, type EventStream, listenForCalls, subscribe } from './esl.js';

export { cdrFromHangup, recordCdr } from './cdrs.js';
export { callController, callerOf } from './controller.js';
export { subaccountDialString } from './steps.js';

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
}): Promise<Switch> {
  const { config, db, log } = deps;
  const server: CallServer = await listenForCalls(
    config.listen,
    callController({ db, box: deps.box, directory: deps.directory, log }),
    (error) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'call control failed'),
  );
  log.info({ listen: `${config.listen.host}:${config.listen.port}` }, 'FreeSWITCH controller listening');
  let events: EventStream | undefined;
  if (config.freeswitch) {
    events = subscribe(
      config.freeswitch,
      ['CHANNEL_HANGUP_COMPLETE'],
      (h) => {
        const cdr = cdrFromHangup(h);
        if (cdr) recordCdr(db, cdr).catch((error: unknown) => log.error({ err: (error as Error).message }, 'CDR not written'));
      },
      log,
    );
  }
  return {
    close: async () => {
      events?.close();
      await server.close();
    },
  };
}
