// The real process, as `npm start` runs it: first start prints a generated
// operator password once; SIGTERM stops it cleanly; a restart finds every
// record (and the generated key) intact; a bad setting stops it naming the variable.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http, freshPostgresDatabase, onPostgres } from '../support/plane.js';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let pgdb: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CALLPLANE_DATA_DIR: dataDir, CALLPLANE_HTTP_PORT: '0', CALLPLANE_PROVISION_LISTEN: '127.0.0.1:0' };
  if (pgdb) base.DATABASE_URL = pgdb.url;
  return { ...base, ...extra };
}

function start(extra: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: env(extra) });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no listening line within 30 s:\n${out}\n${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /"url":"([^"]+)"[^\n]*control plane listening/.exec(out);
      if (match?.[1]) {
        clearTimeout(deadline);
        resolve({ child, url: match[1], stdout: () => out, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-process-'));
  if (onPostgres) pgdb = await freshPostgresDatabase();
});
afterAll(async () => {
  await pgdb?.drop();
});

describe('the control plane process', () => {
  it('prints the generated operator password once, stops on SIGTERM, and keeps everything across a restart', async () => {
    const first = await start();
    const announced = /created operator login admin@callplane\.local with password (\S+)/.exec(first.stdout());
    expect(announced).not.toBeNull();
    const password = announced![1]!;
    const api = new Http(`${first.url}/api/v1`);
    const token = (await api.post('/auth/login', { email: 'admin@callplane.local', password })).body.accessToken;
    const operator = new Http(api.base, token);
    const acct = (await operator.post('/accounts', { name: 'Survivor' })).body;
    const sub = (await operator.post(`/accounts/${acct.id}/subaccounts`, { name: 'Desk', sipPassword: 'Persisted12345' })).body;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toContain('"msg":"stopped"');

    const second = await start();
    try {
      expect(second.stdout()).not.toContain('created operator login');
      const api2 = new Http(`${second.url}/api/v1`);
      const login = await api2.post('/auth/login', { email: 'admin@callplane.local', password });
      expect(login.status).toBe(200);
      const operator2 = new Http(api2.base, login.body.accessToken);
      expect((await operator2.get(`/accounts/${acct.id}`)).body.realm).toBe(acct.realm);
      const creds = await operator2.get(`/accounts/${acct.id}/subaccounts/${sub.id}/credentials`);
      expect(creds.body.sipPassword).toBe('Persisted12345');
      expect((await operator2.get(`/accounts/${acct.id}/audit`)).body.total).toBe(2);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: env({ CALLPLANE_DEFAULT_COUNTRY: 'Narnia' }) });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('CALLPLANE_DEFAULT_COUNTRY: an ISO 3166 two-letter country code');
  });
});
