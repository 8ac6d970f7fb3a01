// Builds the whole control plane from a config: database, features, API.
// main.ts runs it as a process; tests start it in-process on a free port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import client from 'prom-client';
import { Accounts, Devices, Numbers, Subaccounts, Users, hashPassword, userRepository } from './accounts/index.js';
import { Tokens, apiRoutes, createApp } from './api/index.js';
import type { Config } from './config.js';
import { type Database, type DatabaseTarget, migrateToLatest, openDatabase } from './db/index.js';
import { MasterKey, SecretBox, randomPassword } from './secrets.js';

export const VERSION = '0.1.0';

export interface ControlPlane {
  url: string;
  db: Database;
  databaseKind: 'postgres' | 'pglite';
  features: { accounts: Accounts; users: Users; subaccounts: Subaccounts; devices: Devices; numbers: Numbers; tokens: Tokens };
  box: SecretBox;
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** overrides the database chosen from config (tests use `memory://`) */
  database?: DatabaseTarget;
  /** where the one-time generated admin password is printed */
  announce?: (line: string) => void;
}

export async function startControlPlane(config: Config, options: StartOptions): Promise<ControlPlane> {
  const { log } = options;
  const master = MasterKey.load(config.secretKey, config.dataDir);
  if (master.generated) log.info({ file: `${config.dataDir}/secret.key` }, 'generated a new master key');
  const box = new SecretBox(master.key);
  const { db, kind } = await openDatabase(options.database ?? { url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ applied }, 'database migrated');
    const settings = { realmDomain: config.realmDomain, defaults: config.defaults };
    const accounts = new Accounts({ db, settings });
    const features = {
      accounts,
      users: new Users({ db }),
      subaccounts: new Subaccounts({ db, box }),
      devices: new Devices({ db }),
      numbers: new Numbers({ db }),
      tokens: new Tokens({
        db,
        settings: {
          key: master.key.derive('jwt'),
          accessTtlSeconds: config.tokens.accessTtlSeconds,
          refreshTtlSeconds: config.tokens.refreshTtlSeconds,
        },
      }),
    };
    await ensureAdmin(db, accounts, config, options.announce ?? ((line) => process.stdout.write(`${line}\n`)));
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
    log.info({ url, database: kind }, 'control plane listening');
    return {
      url,
      db,
      databaseKind: kind,
      features,
      box,
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
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
