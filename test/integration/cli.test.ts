// The operator CLI as an operator runs it: a real child process on a fresh data
// dir (or, when DATABASE_URL is set, a fresh database on that PostgreSQL server).
// Each spawn costs a couple of seconds, so the fixtures are made once and each
// test makes several checks per spawn.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf } from '../../server/accounts/index.js';
import { loadConfig } from '../../server/config.js';
import { openFeatures, startControlPlane } from '../../server/control-plane.js';
import { acquireDataDirLock } from '../../server/db/index.js';
import { createLogger } from '../../server/log.js';
import { ADMIN, freshPostgresDatabase, onPostgres } from '../support/plane.js';
import { COMMANDS } from '../../scripts/cli-commands.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REFUSED = (pid: number) =>
  `callplane is already running on this embedded database (pid ${pid}); stop it first, or point both at a PostgreSQL server with DATABASE_URL`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI and insists that it succeeded. */
async function ok(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const run = await cli(env, ...args);
  expect(run, `cli ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
  return run.stdout;
}

/** The environment of a CLI process: the server's variables, nothing inherited from ours. */
function cliEnv(dataDir: string, databaseUrl: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CALLPLANE_') && k !== 'DATABASE_URL'));
  return {
    ...inherited,
    CALLPLANE_DATA_DIR: dataDir,
    CALLPLANE_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    CALLPLANE_ADMIN_EMAIL: ADMIN.email,
    CALLPLANE_ADMIN_PASSWORD: ADMIN.password,
    CALLPLANE_LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
  };
}

/** A database of our own on the PostgreSQL server of DATABASE_URL, dropped afterwards. */

const line = (text: string, label: string) => new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(text)?.[1];

let dataDir: string;
let postgres: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
let env: NodeJS.ProcessEnv;

/** Made once by the CLI: an account in GB with an owner login, and two subaccounts (Alice as text, Bob as JSON). */
const acme = {
  created: '',
  id: '',
  realm: '',
  ownerEmail: 'owner@acme.example',
  ownerPassword: '',
  aliceText: '',
  alice: '',
  bob: { id: '', extension: '', networkNumber: '', credentials: { realm: '', sipPassword: '' } },
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-cli-'));
  postgres = onPostgres ? await freshPostgresDatabase() : undefined;
  env = cliEnv(dataDir, postgres?.url ?? '');
  acme.created = await ok(
    env,
    'create-account',
    ...['--name', 'Acme Ltd', '--country', 'GB', '--timezone', 'Europe/London', '--owner-email', 'Owner@Acme.example'],
  );
  acme.id = line(acme.created, 'id') ?? '';
  acme.realm = line(acme.created, 'realm') ?? '';
  acme.ownerPassword = line(acme.created, 'password') ?? '';
  acme.aliceText = await ok(env, 'create-subaccount', '--account', acme.id, '--name', 'Alice');
  acme.alice = line(acme.aliceText, 'id') ?? '';
  acme.bob = JSON.parse(await ok(env, 'create-subaccount', '--account', acme.id, '--name', 'Bob', '--json'));
});

afterAll(async () => {
  await postgres?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sipPasswords = () => [line(acme.aliceText, 'SIP password') ?? '', acme.bob.credentials.sipPassword];

describe('operator CLI', () => {
  it('creates an account, printing its owner and generated password once, and lists it as a table and as JSON', async () => {
    expect(acme.created).toContain('created account "Acme Ltd"');
    expect(acme.created).toMatch(/^\s+owner\s+owner@acme\.example$/m);
    expect(acme.ownerPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const table = await ok(env, 'list-accounts');
    expect(table.split('\n')[0]).toMatch(/^id\s+kind\s+name\s+realm\s+timezone$/);
    expect(table).toMatch(new RegExp(`^${acme.id}\\s+account\\s+Acme Ltd\\s+${acme.realm.replace(/\./g, '\\.')}\\s+Europe/London$`, 'm'));
    expect(table).toMatch(/^\S+\s+operator\s+Operator\s/m);
    const json = JSON.parse(await ok(env, 'list-accounts', '--json', '--q', 'acme'));
    expect(json).toMatchObject({ total: 1, items: [{ id: acme.id, kind: 'account', name: 'Acme Ltd', country: 'GB' }] });
  });

  it('gives subaccounts the next free extensions and network numbers starting with 10, with their SIP credentials', () => {
    expect(acme.aliceText).toMatch(/^\s+extension\s+101$/m);
    expect(line(acme.aliceText, 'network number')).toMatch(/^10\d+$/);
    expect(line(acme.aliceText, 'realm')).toBe(acme.realm);
    expect(line(acme.aliceText, 'SIP password')).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(acme.bob).toMatchObject({ extension: '102', networkNumber: expect.stringMatching(/^10\d+$/), credentials: { realm: acme.realm } });
  });

  it('creates a device with one ringing and one silent line', async () => {
    const out = await ok(
      env,
      'create-device',
      ...['--account', acme.id, '--mac', '00-15-65-AA-BB-CC', '--vendor', 'yealink', '--model', 'T46U'],
      ...['--line', `1:${acme.alice}`, '--line', `2:${acme.bob.id}:noring`],
    );
    expect(out).toContain('created device 00:15:65:aa:bb:cc (yealink T46U)');
    expect(out).toMatch(new RegExp(`^1\\s+101\\s+Alice\\s+${acme.alice}\\s+rings$`, 'm'));
    expect(out).toMatch(new RegExp(`^2\\s+102\\s+Bob\\s+${acme.bob.id}\\s+does not ring$`, 'm'));
  });

  it('reads a national number in the account’s country and stores it as E.164', async () => {
    const number = JSON.parse(await ok(env, 'create-number', '--account', acme.id, '--number', '020 7946 0018', '--to', acme.alice, '--json'));
    expect(number).toMatchObject({ e164: '+442079460018', destination: { kind: 'subaccount', id: acme.alice } });
  });

  it('refuses invalid flags with exit code 2, naming the field', async () => {
    const [badExtension, unknownFlag] = await Promise.all([
      cli(env, 'create-subaccount', '--account', acme.id, '--name', 'Carol', '--extension', '1'),
      cli(env, 'list-accounts', '--colour'),
    ]);
    expect(badExtension).toMatchObject({ code: 2, stdout: '', stderr: 'error: extension: 2 to 6 digits\n' });
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('--colour');
  });

  it('resets a password: the new one logs in, the old sessions end, and the audit log keeps no copy', async () => {
    const config = loadConfig(env);
    const before = await openFeatures(config);
    const session = await before.features.tokens.login(acme.ownerEmail, acme.ownerPassword).finally(() => before.close());
    const out = await ok(env, 'reset-password', '--email', acme.ownerEmail);
    const password = line(out, 'password') ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(out).toContain('shown only this once');
    const after = await openFeatures(config);
    try {
      await expect(after.features.tokens.refresh(session.refreshToken)).rejects.toThrow(/no longer valid/);
      await expect(after.features.tokens.login(acme.ownerEmail, acme.ownerPassword)).rejects.toThrow(/wrong/);
      expect((await after.features.tokens.login(acme.ownerEmail, password)).accessToken).toBeTruthy();
      // every snapshot the audit log keeps (what `audit --json` prints)
      const audit = JSON.stringify(await auditOf(after.db, acme.id, { limit: 100, offset: 0 }));
      expect(audit).toContain('update (password changed)');
      for (const secret of [password, acme.ownerPassword, ...sipPasswords()]) expect(audit).not.toContain(secret);
    } finally {
      await after.close();
    }
  });

  it('shows the audit log newest first, by `cli`, without any password', async () => {
    const [head, ...rows] = (await ok(env, 'audit', '--account', acme.id)).split('\n');
    expect(head).toMatch(/^time\s+actor\s+action\s+entity$/);
    for (const entity of [`account ${acme.id}`, `subaccount ${acme.alice}`, `subaccount ${acme.bob.id}`]) {
      expect(rows.some((r) => /\scli\s+create\s/.test(r) && r.endsWith(entity)), entity).toBe(true);
    }
    expect(rows.some((r) => /\scli\s+create\s+user /.test(r))).toBe(true);
    const times = rows.map((r) => r.split(/\s+/)[0] ?? '');
    expect(times).toEqual([...times].sort().reverse());
    for (const secret of [acme.ownerPassword, ...sipPasswords()]) expect(rows.join('\n')).not.toContain(secret);
  });

  it('lists every command on help, and on no command as a usage error', async () => {
    const [help, bare] = await Promise.all([cli(env, 'help'), cli(env)]);
    expect(help.code).toBe(0);
    expect(bare).toMatchObject({ code: 2, stdout: '', stderr: help.stdout });
    for (const command of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    expect(Object.keys(COMMANDS)).toHaveLength(9);
  });
});

describe('the data-dir lock on the embedded database', () => {
  it('refuses a second CLI process while a live process holds the lock, and the server too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-lock-'));
    const lock = acquireDataDirLock(dir);
    try {
      const [refused, invalid] = await Promise.all([
        cli(cliEnv(dir, ''), 'list-accounts'),
        cli(cliEnv(dir, ''), 'create-subaccount', '--account', crypto.randomUUID(), '--name', 'Carol', '--extension', '1'),
      ]);
      expect(refused).toMatchObject({ code: 1, stdout: '', stderr: `error: ${REFUSED(process.pid)}\n` });
      // flags are checked before the database is opened
      expect(invalid).toMatchObject({ code: 2, stderr: 'error: extension: 2 to 6 digits\n' });
      const server = startControlPlane(loadConfig(cliEnv(dir, '')), { log: createLogger('silent'), announce: () => {} });
      await expect(server).rejects.toThrow(REFUSED(process.pid));
      expect(fs.readdirSync(dir)).toEqual(['callplane.lock']);
    } finally {
      lock.release();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces a lock left by a process that has died, and removes it on release', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-lock-'));
    const file = path.join(dir, 'callplane.lock');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(file, `${dead}\n`);
    try {
      const lock = acquireDataDirLock(dir);
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(REFUSED(process.pid));
      lock.release();
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
