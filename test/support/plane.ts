// Starts a real control plane for a test file: embedded PGlite in memory, or —
// when DATABASE_URL is set — a fresh database on that PostgreSQL server,
// dropped again afterwards. Requests go over real HTTP.
import crypto from 'node:crypto';
import pg from 'pg';
import { type Config, loadConfig } from '../../server/config.js';
import { type ControlPlane, startControlPlane } from '../../server/control-plane.js';
import { createLogger } from '../../server/log.js';
import type { VendorRegistry } from '../../server/provisioning/index.js';

export const ADMIN = { email: 'admin@test.example', password: 'operator-password-1' };
export const onPostgres = Boolean(process.env.DATABASE_URL);

export interface TestPlane extends ControlPlane {
  config: Config;
  http: Http;
  /** logs in and returns a client that sends the bearer token */
  as(email: string, password: string): Promise<Http>;
  operator: Http;
  stop(): Promise<void>;
}

export interface Reply<T = any> {
  status: number;
  body: T;
}

/** A CSV upload (rate decks): sent as text/csv instead of JSON. */
export class CsvBody {
  constructor(readonly text: string) {}
}

export class Http {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (body instanceof CsvBody) headers['content-type'] = 'text/csv';
    else if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.base}${path}`, {
      method: method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : body instanceof CsvBody ? body.text : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (metrics); keep the text
    }
    return { status: res.status, body: parsed as T };
  }
  get = <T = any>(path: string) => this.request<T>('get', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('post', path, body ?? {});
  patch = <T = any>(path: string, body: unknown) => this.request<T>('patch', path, body);
  put = <T = any>(path: string, body: unknown) => this.request<T>('put', path, body);
  delete = <T = any>(path: string) => this.request<T>('delete', path);
}

export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new URL(process.env.DATABASE_URL!);
  const name = `callplane_test_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const TEST_KEY = crypto.randomBytes(32).toString('base64');

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    CALLPLANE_HTTP_PORT: '0',
    CALLPLANE_SECRET_KEY: TEST_KEY,
    CALLPLANE_ADMIN_EMAIL: ADMIN.email,
    CALLPLANE_ADMIN_PASSWORD: ADMIN.password,
    CALLPLANE_LOG_LEVEL: 'silent',
    CALLPLANE_REALM_DOMAIN: 'sip.test.example',
    CALLPLANE_DATA_DIR: '/nonexistent-callplane-test-dir',
    CALLPLANE_PROVISION_LISTEN: '127.0.0.1:0',
    ...overrides,
  });
}

export async function startTestPlane(overrides: Record<string, string> = {}, vendors?: VendorRegistry): Promise<TestPlane> {
  const config = testConfig(overrides);
  const pgdb = onPostgres ? await freshPostgresDatabase() : undefined;
  const plane = await startControlPlane(config, {
    log: createLogger(process.env.CALLPLANE_TEST_LOG ?? 'silent'),
    database: pgdb ? { url: pgdb.url } : { dataDir: 'memory://' },
    announce: () => {},
    vendors,
  });
  const http = new Http(`${plane.url}/api/v1`);
  const as = async (email: string, password: string) => {
    const reply = await http.post('/auth/login', { email, password });
    if (reply.status !== 200) throw new Error(`login ${email} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return new Http(http.base, reply.body.accessToken);
  };
  const operator = await as(ADMIN.email, ADMIN.password);
  return {
    ...plane,
    config,
    http,
    as,
    operator,
    stop: async () => {
      await plane.close();
      await pgdb?.drop();
    },
  };
}

/** Creates a customer account with an owner login; returns its id and an owner client. */
export async function customerAccount(plane: TestPlane, name: string, via: Http = plane.operator, extra: Record<string, unknown> = {}) {
  const email = `owner-${crypto.randomBytes(4).toString('hex')}@${name.toLowerCase().replace(/\W/g, '')}.example`;
  const password = 'owner-password-1';
  const reply = await via.post('/accounts', { name, owner: { email, password }, ...extra });
  if (reply.status !== 201) throw new Error(`create account failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { id: reply.body.id as string, realm: reply.body.realm as string, owner: await plane.as(email, password), ownerEmail: email };
}
