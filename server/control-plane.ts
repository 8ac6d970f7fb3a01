// Builds the whole control plane from a config: database, features, API.
// main.ts runs it as a process; tests start it in-process on a free port; the
// operator CLI (scripts/cli.ts) opens the same database and features with openFeatures().
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import client from 'prom-client';
import { Accounts, Devices, Numbers, Subaccounts, Users, hashPassword, userRepository } from './accounts/index.js';
import { type ApiFeatures, Tokens, apiRoutes, createApp } from './api/index.js';
import { DirectoryCache, HuntGroups, IvrMenus, Schedules, callFlowTargets, loadDirectory } from './callflows/index.js';
import type { Config } from './config.js';
import { errorSummary } from './log.js';
import { type Database, type DatabaseTarget, acquireDataDirLock, migrateToLatest, openDatabase } from './db/index.js';
import { Registrations } from './registrations/index.js';
import { MasterKey, SecretBox, randomPassword } from './secrets.js';
import { type SipEdge, startSipEdge } from './sip/index.js';
import { startSwitch } from './switch/index.js';
import { Cdrs } from './cdrs/index.js';
import { Balances, CallCharging, CallRequests, ChargingPlans, DeckCache, RateDecks, Reports } from './charging/index.js';
import { TrunkDirectory, Trunks } from './trunks/index.js';
import { PaymentMethods, TestPaymentProvider } from './payments/index.js';
import { SmtpMailer, Usage, UsageScheduler } from './usage/index.js';
import { Invoices, Subscriptions } from './subscriptions/index.js';
import { NumberInventory } from './numbers-inventory/index.js';
import { PhoneCatalogue, PhoneOrders } from './orders/index.js';
import { ServiceRequests, closeAccountsEvery } from './requests/index.js';
import { type ProvisioningServer, type VendorRegistry, createProvisioning } from './provisioning/index.js';
import { identifyRequest, vendorModule } from '../provisioning/index.js';

export const VERSION = '0.1.0';

/** How often accounts whose cancellation has come due are closed (a minute late at most is fine for a period end). */
const CLOSE_ACCOUNTS_EVERY_MS = 60_000;

export interface ControlPlane {
  url: string;
  db: Database;
  databaseKind: 'postgres' | 'pglite';
  /** every feature the API serves, and the routing directory the switch reads (invalidated by every change through them) */
  features: Omit<ApiFeatures, 'db'> & { directory: DirectoryCache; mailer: SmtpMailer | undefined; provisioningServer: ProvisioningServer };
  box: SecretBox;
  /** the SIP edge, when drachtio-server is configured */
  sip: SipEdge | undefined;
  /** the provisioning listeners' URLs (undefined when off) and the service behind them */
  provisioning: { httpUrl: string | undefined; httpsUrl: string | undefined; server: ProvisioningServer };
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** overrides the database chosen from config (tests use `memory://`) */
  database?: DatabaseTarget;
  /** where the one-time generated admin password is printed */
  announce?: (line: string) => void;
  /** the vendor modules provisioning renders with (tests pass a test double) */
  vendors?: VendorRegistry;
}

export async function startControlPlane(config: Config, options: StartOptions): Promise<ControlPlane> {
  const { log } = options;
  const opened = await openFeatures(config, options.database, { vendors: options.vendors, log });
  const { db, features } = opened;
  if (opened.keyGenerated) log.info({ file: `${config.dataDir}/secret.key` }, 'generated a new master key');
  if (opened.applied.length) log.info({ applied: opened.applied }, 'database migrated');
  try {
    await ensureAdmin(db, features.accounts, config, options.announce ?? ((line) => process.stdout.write(`${line}\n`)));
    const metrics = new client.Registry();
    client.collectDefaultMetrics({ register: metrics });
    const app = createApp({
      routes: apiRoutes({ db, ...features }),
      tokens: features.tokens,
      log,
      version: VERSION,
      metrics,
      ready: async () => void (await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute()),
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, resolve);
    });
    const address = server.address() as AddressInfo;
    const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    log.info({ url, database: opened.databaseKind }, 'control plane listening');
    const sip = config.sip.drachtio
      ? await startSipEdge({ config: config.sip, db, box: opened.box, key: opened.key, log })
      : undefined;
    if (!sip) log.info('SIP edge: off (set DRACHTIO_HOST to connect to a drachtio-server)');
    // a subaccount or account changed through this process: the edge stops using its identity snapshot at once
    if (sip) features.directory.onInvalidate(() => sip.identitiesChanged());
    features.devices.useNotifier(sip);
    // One trunk directory per process: with the SIP edge here, the controller
    // picks outbound trunks from the edge's (refreshed as the operator changes trunks).
    const outbound = config.switch && !sip ? new TrunkDirectory({ db, box: opened.box }) : undefined;
    await outbound?.start();
    const provisioning = await startProvisioning(config, features.provisioningServer, log);
    const controller = config.switch
      ? await startSwitch({
          config: config.switch,
          db,
          box: opened.box,
          directory: () => features.directory.get(),
          log,
          charging: features.callCharging,
          trunks: sip?.trunks ?? outbound ?? new TrunkDirectory({ db, box: opened.box }),
        })
      : undefined;
    // Reservations of calls whose CDR never came (the switch went away mid-call) are released.
    const sweeper = setInterval(() => {
      features.callCharging.releaseStale(new Date()).catch((error: unknown) => log.warn({ err: (error as Error).message }, 'reservation sweep failed'));
    }, 60_000);
    sweeper.unref();
    if (!controller) log.info('calls: off (set FREESWITCH_ESL_HOST to run the FreeSWITCH controller)');
    const usageJob = new UsageScheduler(features.usage, config.usage.checkIntervalSeconds, (error) =>
      log.error({ err: errorSummary(error) }, 'usage job failed'),
    );
    usageJob.start();
    const billingJob = startBillingJob(features.invoices, config.billing.intervalSeconds, log);
    const closing = closeAccountsEvery(
      db,
      CLOSE_ACCOUNTS_EVERY_MS,
      (error) => log.error({ err: errorSummary(error) }, 'closing due accounts failed'),
      () => features.directory.invalidate(),
    );
    return {
      url,
      db,
      databaseKind: opened.databaseKind,
      features,
      box: opened.box,
      sip,
      provisioning,
      close: async () => {
        clearInterval(sweeper);
        outbound?.stop();
        await usageJob.stop();
        await billingJob.stop();
        await closing.stop();
        await provisioning.server.close();
        await controller?.close();
        await sip?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await opened.close();
      },
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

export interface OpenedFeatures {
  db: Database;
  databaseKind: 'postgres' | 'pglite';
  features: ControlPlane['features'];
  box: SecretBox;
  key: MasterKey;
  /** true when the master key was generated into the data dir by this open */
  keyGenerated: boolean;
  /** migrations applied by this open */
  applied: string[];
  /** closes the database and releases the data-dir lock */
  close(): Promise<void>;
}

/**
 * The database chosen by config (or `database`), migrated, with every feature
 * built on it: what the server and the operator CLI share. The embedded
 * database on disk is locked to this process until close().
 */
export async function openFeatures(
  config: Config,
  database?: DatabaseTarget,
  parts: { vendors?: VendorRegistry | undefined; log?: Logger } = {},
): Promise<OpenedFeatures> {
  const lock = database || config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir);
  try {
    const master = MasterKey.load(config.secretKey, config.dataDir);
    const box = new SecretBox(master.key);
    const { db, kind } = await openDatabase(database ?? { url: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(db);
      const features = buildFeatures(db, box, master.key, config, parts);
      const close = async () => {
        try {
          features.mailer?.close();
          await db.destroy();
        } finally {
          lock?.release();
        }
      };
      return { db, databaseKind: kind, features, box, key: master.key, keyGenerated: master.generated, applied, close };
    } catch (error) {
      await db.destroy();
      throw error;
    }
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** The vendor modules of provisioning/, as the provisioning service asks for them. */
const VENDORS: VendorRegistry = {
  identify: (fileName, userAgent) => {
    const request = identifyRequest(fileName, userAgent);
    const module = request && vendorModule(request.vendor);
    return request && module ? { ...request, module } : undefined;
  },
  module: vendorModule,
};

function buildFeatures(
  db: Database,
  box: SecretBox,
  key: MasterKey,
  config: Config,
  parts: { vendors?: VendorRegistry | undefined; log?: Logger },
): ControlPlane['features'] {
  const settings = { realmDomain: config.realmDomain, defaults: config.defaults };
  // Provisioning renders from devices, subaccounts and accounts, and caches what it read: their changes drop that too.
  let provisioned = () => {};
  const devices = new Devices({ db, onChange: () => provisioned() });
  const provisioning = createProvisioning({
    db, box, key, devices, config: config.provisioning, vendors: parts.vendors ?? VENDORS,
    onError: (error) => parts.log?.error({ err: error }, 'provisioning'),
  });
  provisioned = () => provisioning.invalidate();
  const subscriptions = new Subscriptions({ db, defaultPriceList: config.billing.defaultPriceList });
  const directory = new DirectoryCache(() => loadDirectory(db), { ttlSeconds: config.directoryTtlSeconds });
  // What routing reads changes through these features: each committed change invalidates the directory (and provisioning's cache).
  const routed = { db, onChange: () => (directory.invalidate(), provisioning.invalidate()) };
  const numberInventory = new NumberInventory({ ...routed, subscriptions });
  const numbers = new Numbers({ ...routed, targets: callFlowTargets });
  numbers.useRelease({ beforeRemove: (trx, accountId, id, at, by) => numberInventory.endFeeAndRestock(trx, accountId, id, at, by) });
  const decks = new DeckCache({ db });
  const paymentMethods = new PaymentMethods({ db, provider: new TestPaymentProvider() });
  const mailer = config.usage.smtpUrl ? new SmtpMailer(config.usage.smtpUrl, config.usage.mailFrom) : undefined;
  const usage = new Usage({ db, box, payments: paymentMethods, mailer });
  // a call charge may cross the account's alert threshold or start an auto-recharge: checked at once, not at the next job run
  const callCharging = new CallCharging({
    db,
    decks,
    afterCharge: (accountId) => usage.afterBalanceChange(accountId),
    // at once from a usable directory (nearly always), else once it is built
    cachedPlan: (subaccountId) => {
      const current = directory.current();
      return current ? current.subaccount(subaccountId)?.chargingPlan : directory.get().then((d) => d.subaccount(subaccountId)?.chargingPlan);
    },
  });
  const users = new Users({ db });
  const subaccounts = new Subaccounts({ ...routed, box, targets: callFlowTargets });
  subaccounts.useSeatCheck({ beforeAdd: (trx, accountId) => subscriptions.checkSeatFree(trx, accountId) });
  return {
    chargingPlans: new ChargingPlans(routed),
    balances: new Balances({ db }),
    rateDecks: new RateDecks({ db, cache: decks }),
    callCharging,
    reports: new Reports({ db }),
    callRequests: new CallRequests({ db, directory: () => directory.get(), charging: callCharging }),
    accounts: new Accounts({ ...routed, settings }),
    users,
    subaccounts,
    devices,
    numbers,
    serviceRequests: new ServiceRequests({ ...routed, box, numbers, devices, users, targets: callFlowTargets }),
    phoneCatalogue: new PhoneCatalogue({ db }),
    phoneOrders: new PhoneOrders({ db, devices }),
    provisioning: provisioning.api,
    provisioningServer: provisioning.server,
    registrations: new Registrations({ db }),
    trunks: new Trunks({ db, box }),
    cdrs: new Cdrs({ db }),
    huntGroups: new HuntGroups(routed),
    ivrMenus: new IvrMenus(routed),
    schedules: new Schedules(routed),
    subscriptions,
    invoices: new Invoices({ db, subscriptions, taxRateBp: config.billing.taxRateBp }),
    numberInventory,
    directory,
    paymentMethods,
    mailer,
    usage,
    tokens: new Tokens({
      db,
      settings: {
        key: key.derive('jwt'),
        accessTtlSeconds: config.tokens.accessTtlSeconds,
        refreshTtlSeconds: config.tokens.refreshTtlSeconds,
      },
    }),
  };
}

/** First start: the operator account and its first login. A generated password is shown once. */
async function ensureAdmin(db: Database, accounts: Accounts, config: Config, announce: (line: string) => void) {
  const operator = await accounts.ensureOperator(config.operatorName);
  const existing = await db.selectFrom('users').select('id').where('role', '=', 'operator').executeTakeFirst();
  if (existing) return;
  const password = config.admin.password ?? randomPassword(20);
  await userRepository.insertUser(db, {
    account_id: operator.id,
    email: config.admin.email,
    name: 'Operator',
    password_hash: await hashPassword(password),
    role: 'operator',
    subaccount_id: null,
    timezone: null,
  });
  if (!config.admin.password) {
    announce(`callplane: created operator login ${config.admin.email} with password ${password}`);
    announce('callplane: this password is shown once; change it with `npm run cli -- reset-password`');
  }
}

/**
 * The billing job on an interval: this period's recurring charges and last
 * period's invoices (both safe to run again, from any process). Runs once
 * soon after start; stop() waits for a run in progress.
 */
function startBillingJob(invoices: Invoices, intervalSeconds: number, log: Logger): { stop(): Promise<void> } {
  if (intervalSeconds === 0) return { stop: async () => {} };
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = invoices
      .runBillingCycle(new Date())
      .then((cycle) => {
        if (cycle.charged || cycle.invoiced) log.info(cycle, 'billing job');
      })
      .catch((error: unknown) => log.error({ err: error }, 'billing job failed'));
  };
  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, intervalSeconds * 1_000);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

async function startProvisioning(config: Config, server: ProvisioningServer, log: Logger): Promise<ControlPlane['provisioning']> {
  const listeners = await server.listen(config.dataDir);
  if (listeners.httpUrl || listeners.httpsUrl) log.info({ http: listeners.httpUrl, https: listeners.httpsUrl }, 'provisioning listening');
  else log.info('provisioning: off (CALLPLANE_PROVISION_LISTEN=off and no CALLPLANE_PROVISION_TLS_LISTEN)');
  return { httpUrl: listeners.httpUrl, httpsUrl: listeners.httpsUrl, server };
}
