// The composition root as a process: config → control plane, and a graceful
// stop on SIGTERM/SIGINT (stop accepting, finish requests, close the database).
import { ConfigError, loadConfig } from './config.js';
import { startControlPlane } from './control-plane.js';
import { createLogger, errorSummary } from './log.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const plane = await startControlPlane(config, { log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    plane.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  // drachtio-srf throws from its socket handler when a peer sends a SIP message
  // it cannot parse; one bad message must not take the PBX down. Anything else
  // unexpected still ends the process.
  process.on('uncaughtException', (error) => {
    if (error.stack?.includes('drachtio-srf/lib/sip-parser')) {
      log.warn({ err: error.message }, 'dropped a SIP message drachtio-srf could not parse');
      return;
    }
    log.fatal({ err: errorSummary(error) }, 'uncaught exception');
    process.exit(1);
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`callplane failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
