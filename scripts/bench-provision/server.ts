// Child process of `npm run bench:provision`: a control plane on a fresh
// PGlite (or DATABASE_URL) with 10,000 provisioned devices, its provisioning
// listener on a loopback port, and every device's file fetched once and
// written under a static root for nginx to serve the same bytes. Prints one
// JSON line when ready; stops on SIGTERM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { accountSchemas } from '../../server/accounts/index.js';
import { loadConfig } from '../../server/config.js';
import { startControlPlane } from '../../server/control-plane.js';
import { createLogger } from '../../server/log.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-provision-'));
  const config = loadConfig({
    CALLPLANE_HTTP_PORT: '0',
    CALLPLANE_PROVISION_LISTEN: '127.0.0.1:0',
    CALLPLANE_DATA_DIR: dir,
    CALLPLANE_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    CALLPLANE_ADMIN_PASSWORD: 'bench-password-1',
    CALLPLANE_LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.DATABASE_URL ?? '',
  });
  const which = 'provisioning/ (the real vendor modules)';
  const plane = await startControlPlane(config, {
    log: createLogger('warn'),
    database: config.databaseUrl ? { url: config.databaseUrl } : { dataDir: 'memory://' },
    announce: () => {},
  });
  const operator = await plane.db.selectFrom('accounts').select('id').where('kind', '=', 'operator').executeTakeFirstOrThrow();
  const caller = { userId: null, label: 'bench', role: 'operator' as const, accountId: operator.id, subaccountId: null };
  const account = await plane.features.accounts.create(caller, accountSchemas.createAccount.parse({ name: 'Bench', timezone: 'Europe/Berlin' }));
  const accountId = account.id;
  const macs = await seed(plane, accountId);
  const { url } = await plane.features.provisioning.account(caller, accountId);
  const root = path.join(dir, 'static');
  const paths = await writeStatic(url, root, macs);
  process.stdout.write(`${JSON.stringify({ ready: true, base: plane.provisioning.httpUrl, root, paths, vendors: which, database: plane.databaseKind })}\n`);
  process.once('SIGTERM', () => {
    void plane.close().finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

type Plane = Awaited<ReturnType<typeof startControlPlane>>;

async function seed(plane: Plane, accountId: string): Promise<string[]> {
  const macs: string[] = [];
  for (let start = 0; start < DEVICES; start += 1000) {
    const n = Math.min(1000, DEVICES - start);
    const idx = Array.from({ length: n }, (_, k) => start + k);
    const subs = await plane.db
      .insertInto('subaccounts')
      .values(idx.map((i) => ({ account_id: accountId, kind: 'phone' as const, name: `User ${i}`, sip_user: `u${i}`, sip_password_enc: plane.box.seal(`Pw-${i}-${crypto.randomBytes(6).toString('hex')}`), extension: String(10_000 + i) })))
      .returning('id')
      .execute();
    const batch = idx.map((i) => `0015${i.toString(16).padStart(8, '0')}`);
    macs.push(...batch);
    const devices = await plane.db
      .insertInto('devices')
      .values(batch.map((mac, k) => ({ account_id: accountId, mac, vendor: 'yealink', model: 'T46U', label: `Desk ${start + k}` })))
      .returning('id')
      .execute();
    await plane.db.insertInto('device_lines').values(devices.map((d, k) => ({ device_id: d.id, line_no: 1, subaccount_id: subs[k]!.id }))).execute();
  }
  return macs;
}

/** Fetches each device's file once from callplane and writes those bytes where nginx will serve them. */
async function writeStatic(url: string, root: string, macs: string[]): Promise<string[]> {
  const paths = macs.map((mac) => `${new URL(url).pathname}${mac}.cfg`);
  fs.mkdirSync(path.join(root, path.dirname(paths[0]!)), { recursive: true });
  const origin = new URL(url).origin;
  for (let i = 0; i < paths.length; i += 50) {
    await Promise.all(
      paths.slice(i, i + 50).map(async (p, k) => {
        const res = await fetch(`${origin}${p}`, { headers: { 'user-agent': userAgent(macs[i + k]!) } });
        if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
        fs.writeFileSync(path.join(root, p), Buffer.from(await res.arrayBuffer()));
      }),
    );
  }
  return paths;
}

export const userAgent = (mac: string) => `Yealink SIP-T46U 66.86.0.15 ${mac.match(/../g)!.join(':')}`;

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
