// The four things the register benchmark loads, each started as separate
// processes so their CPU can be read apart from the driver's: callplane on
// PostgreSQL and on PGlite (node server/main.ts behind our own drachtio-server),
// Kamailio write-through, and the bare drachtio-srf ceiling (and, on request,
// the bare srf answering at the pace of a group commit).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Cluster } from './postgres.js';
import { type Processes, type Spawned, isAlive } from './processes.js';
import { type BenchUser, type PlaneDatabase, callplaneBindings } from './seed.js';
import { answersOptions } from './sipp.js';

/**
 * node's flags as `npm start` and the Docker image run callplane (one
 * garbage-collector thread, see the README); the bare srf gets the same, so
 * the two node processes differ only in what they do.
 */
const NODE_FLAGS = ['--single-threaded-gc'];

export type TargetId = 'callplane-pg' | 'kamailio' | 'bare-srf' | 'bare-srf-commit' | 'callplane-pglite' | 'callplane-pg-sha256';

/** The bare srf of `bare-srf-commit` answers its 200s every this many ms, as callplane's default CALLPLANE_SIP_REGISTER_BATCH_MS paces its writes. */
export const GROUP_COMMIT_MS = 10;

export interface Durability {
  /** how the process went away between the two counts */
  how: string;
  before: number;
  after: number;
}

export interface Running {
  sip: { host: string; port: number };
  /** processes whose CPU is reported: each root PID counts with its whole process tree */
  cpu: () => { label: string; pid: number }[];
  /** counts bindings, restarts the process that serves them, counts again */
  durability?: () => Promise<Durability>;
  /** bindings the target's database holds now (Kamailio), when that is all it can tell */
  storedBindings?: () => Promise<number>;
  stop(): Promise<void>;
}

export interface BenchContext {
  processes: Processes;
  dir: string;
  repo: string;
  csv: string;
  drachtioBin: string;
  drachtioSecret: string;
  secretKey: string;
  cluster: Cluster | undefined;
  users: BenchUser[];
  /** node --cpu-prof for callplane on PostgreSQL, into this directory (the bare srf into `<dir>-bare`); pg_stat_statements is loaded too */
  profileDir: string | undefined;
  /** MB touched and freed before each target starts (warm-memory.ts); 0: not done */
  warmMb: number;
}

export const DRACHTIO = { admin: 9122, sip: 5160 };
export const KAMAILIO_SIP = 5260;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines = 15): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n') : '(no log)';
}

async function accepts(port: number, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

async function readyOrThrow(p: Spawned, port: number, logFile: string): Promise<void> {
  const ready = await answersOptions('127.0.0.1', port, 60_000);
  if (!ready || !isAlive(p.pid)) throw new Error(`${p.name} did not answer OPTIONS on 127.0.0.1:${port}; its log ends:\n${tail(logFile)}`);
}

/** Our own drachtio-server: admin 127.0.0.1:9122, SIP udp 127.0.0.1:5160, quiet logging. */
async function startDrachtio(ctx: BenchContext, name: string): Promise<Spawned> {
  const dir = path.join(ctx.dir, `drachtio-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'drachtio.conf.xml');
  fs.writeFileSync(
    conf,
    `<drachtio>
  <admin port="${DRACHTIO.admin}" secret="${ctx.drachtioSecret}">127.0.0.1</admin>
  <sip><contacts><contact>sip:127.0.0.1:${DRACHTIO.sip};transport=udp</contact></contacts></sip>
  <cdrs>false</cdrs>
  <logging>
    <file><name>${dir}/drachtio.log</name><archive>${dir}/archive</archive><size>50</size><maxFiles>2</maxFiles><auto-flush>false</auto-flush></file>
    <sofia-loglevel>0</sofia-loglevel>
    <loglevel>notice</loglevel>
  </logging>
</drachtio>
`,
  );
  const logFile = path.join(dir, 'stdout.log');
  // tcmalloc keeps what it frees instead of handing it back to the system bit by bit: the
  // transactions of the last 32 s are freed and taken again all the time, and a page handed
  // back and taken again costs a fault (~10 µs on this VM). Every drachtio target alike.
  const env = { ...process.env, TCMALLOC_RELEASE_RATE: '0' };
  const drachtio = ctx.processes.spawn('drachtio', ctx.drachtioBin, ['-f', conf], { env, logFile });
  if (!(await accepts(DRACHTIO.admin, 15_000))) {
    await drachtio.stop();
    throw new Error(`drachtio-server did not open 127.0.0.1:${DRACHTIO.admin}; its log ends:\n${tail(logFile)}`);
  }
  return drachtio;
}

/**
 * The challenges callplane's 401 carries. The references (Kamailio, the bare srf) send one MD5
 * challenge and SIPp answers only the first one with MD5, so the comparable callplane runs with
 * MD5 alone; `callplane-pg-sha256` runs two challenges as the product default does (SHA-256 and
 * MD5; MD5 first, as SIPp answers the first one) to show their cost.
 */
const DIGEST_OF: Record<string, string> = { pg: 'MD5', pglite: 'MD5', 'pg-sha256': 'MD5,SHA-256' };

function startPlane(ctx: BenchContext, database: PlaneDatabase, name: string, profile: boolean): Spawned {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...database,
    CALLPLANE_HTTP_PORT: '0',
    CALLPLANE_LOG_LEVEL: 'info',
    CALLPLANE_ADMIN_EMAIL: 'admin@bench.example',
    CALLPLANE_ADMIN_PASSWORD: 'bench-operator-password',
    DRACHTIO_HOST: '127.0.0.1',
    DRACHTIO_PORT: String(DRACHTIO.admin),
    DRACHTIO_SECRET: ctx.drachtioSecret,
    CALLPLANE_SIP_DIGEST: DIGEST_OF[name] ?? 'MD5',
    // the load generator is one address sending thousands of requests a second: never ban it
    CALLPLANE_SIP_ALLOW: '127.0.0.1',
  };
  const args = [...NODE_FLAGS, ...(profile && ctx.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`] : []), '--import', 'tsx', 'server/main.ts'];
  return ctx.processes.spawn(`callplane (${name})`, process.execPath, args, { env, cwd: ctx.repo, logFile: path.join(ctx.dir, `callplane-${name}.log`) });
}

async function startCallplane(ctx: BenchContext, database: PlaneDatabase, name: string, onPostgres: boolean): Promise<Running> {
  const drachtio = await startDrachtio(ctx, name);
  const profile = name === 'pg' && ctx.profileDir !== undefined;
  const logFile = path.join(ctx.dir, `callplane-${name}.log`);
  let plane = startPlane(ctx, database, name, profile);
  await readyOrThrow(plane, DRACHTIO.sip, logFile);
  const restart = async () => {
    plane = startPlane(ctx, database, name, false);
    await readyOrThrow(plane, DRACHTIO.sip, logFile);
  };
  const dbName = name === 'pg-sha256' ? 'callplane_sha256' : 'callplane';
  const count = async () => Number((await ctx.cluster!.query<{ n: string }>(dbName, 'SELECT count(*) AS n FROM registrations WHERE expires_at > now()'))[0]!.n);
  return {
    sip: { host: '127.0.0.1', port: DRACHTIO.sip },
    cpu: () => [
      { label: 'callplane node', pid: plane.pid },
      { label: 'drachtio', pid: drachtio.pid },
      ...(onPostgres ? [{ label: 'postgres', pid: ctx.cluster!.postmaster.pid }] : []),
    ],
    durability: onPostgres
      ? async () => {
          const before = await count();
          // a crash, not a goodbye: SIGKILL (SIGTERM when profiling, so the profile is written)
          if (profile) await plane.stop();
          else await ctx.processes.kill(plane);
          await restart();
          return { how: profile ? 'SIGTERM + restart' : 'SIGKILL + restart', before, after: await count() };
        }
      : async () => {
          // PGlite lives inside the process: count once it has stopped, start and stop it again, count again
          await plane.stop();
          const before = await callplaneBindings(database);
          await restart();
          await plane.stop();
          return { how: 'SIGTERM + restart', before, after: await callplaneBindings(database) };
        },
    stop: async () => {
      await plane.stop();
      await drachtio.stop();
    },
  };
}

/** answerEveryMs > 0: the 200s wait for the next tick of that period and go out together (bare-srf.ts). */
async function startBareSrf(ctx: BenchContext, answerEveryMs = 0): Promise<Running> {
  const drachtio = await startDrachtio(ctx, 'bare');
  const logFile = path.join(ctx.dir, answerEveryMs ? 'bare-srf-commit.log' : 'bare-srf.log');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BARE_USERS: ctx.csv,
    BARE_ANSWER_EVERY_MS: String(answerEveryMs),
    DRACHTIO_PORT: String(DRACHTIO.admin),
    DRACHTIO_SECRET: ctx.drachtioSecret,
  };
  // profiled like callplane (into <profile dir>-bare), so the two can be compared function by function
  const profile = ctx.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}-bare${answerEveryMs ? '-commit' : ''}`] : [];
  const app = ctx.processes.spawn('bare srf', process.execPath, [...NODE_FLAGS, ...profile, '--import', 'tsx', 'scripts/bench-register/bare-srf.ts'], { env, cwd: ctx.repo, logFile });
  await readyOrThrow(app, DRACHTIO.sip, logFile);
  return {
    sip: { host: '127.0.0.1', port: DRACHTIO.sip },
    cpu: () => [
      { label: 'bare srf node', pid: app.pid },
      { label: 'drachtio', pid: drachtio.pid },
    ],
    stop: async () => {
      await app.stop();
      await drachtio.stop();
    },
  };
}

async function startKamailio(ctx: BenchContext): Promise<Running> {
  const cluster = ctx.cluster!;
  const dir = path.join(ctx.dir, 'kamailio');
  fs.mkdirSync(dir, { recursive: true });
  const cfg = path.join(dir, 'kamailio.cfg');
  const template = fs.readFileSync(path.resolve(import.meta.dirname, 'kamailio.cfg'), 'utf8');
  const values: Record<string, string> = {
    CHILDREN: '2',
    LISTEN: `127.0.0.1:${KAMAILIO_SIP}`,
    DB_URL: `postgres://postgres@127.0.0.1:${cluster.port}/kamailio`,
    SECRET: ctx.drachtioSecret,
  };
  fs.writeFileSync(cfg, template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? ''));
  const logFile = path.join(dir, 'kamailio.log');
  // -DD: the main process stays in the foreground (its PID is ours) and forks the workers
  const args = ['-f', cfg, '-DD', '-E', '-m', '256', '-M', '16', '-w', dir, '-P', path.join(dir, 'kamailio.pid')];
  const kamailio = ctx.processes.spawn('kamailio', 'kamailio', args, { logFile });
  await readyOrThrow(kamailio, KAMAILIO_SIP, logFile);
  return {
    sip: { host: '127.0.0.1', port: KAMAILIO_SIP },
    cpu: () => [
      { label: 'kamailio', pid: kamailio.pid },
      { label: 'postgres', pid: cluster.postmaster.pid },
    ],
    storedBindings: async () =>
      Number((await cluster.query<{ n: string }>('kamailio', 'SELECT count(*) AS n FROM location WHERE expires > now()'))[0]!.n),
    stop: () => kamailio.stop(),
  };
}

export interface TargetSpec {
  title: string;
  needs: ('postgres' | 'drachtio' | 'kamailio')[];
  /** its database in our PostgreSQL cluster */
  database?: string;
  start(ctx: BenchContext): Promise<Running>;
}

export const TARGETS: Record<TargetId, TargetSpec> = {
  'callplane-pg': {
    title: 'callplane on PostgreSQL',
    needs: ['postgres', 'drachtio'],
    database: 'callplane',
    start: (ctx) => startCallplane(ctx, { DATABASE_URL: ctx.cluster!.url('callplane'), CALLPLANE_DATA_DIR: path.join(ctx.dir, 'data-pg'), CALLPLANE_SECRET_KEY: ctx.secretKey }, 'pg', true),
  },
  'callplane-pg-sha256': {
    title: 'callplane on PostgreSQL, MD5 + SHA-256 challenges (two, as by default)',
    needs: ['postgres', 'drachtio'],
    database: 'callplane_sha256',
    start: (ctx) => startCallplane(ctx, sha256Database(ctx), 'pg-sha256', true),
  },
  kamailio: { title: 'Kamailio write-through (usrloc db_mode 1)', needs: ['postgres', 'kamailio'], database: 'kamailio', start: startKamailio },
  'bare-srf': { title: 'bare drachtio-srf (digest, in-memory users)', needs: ['drachtio'], start: (ctx) => startBareSrf(ctx) },
  'bare-srf-commit': {
    title: `bare drachtio-srf, 200s held for a ${GROUP_COMMIT_MS} ms group commit (no database)`,
    needs: ['drachtio'],
    start: (ctx) => startBareSrf(ctx, GROUP_COMMIT_MS),
  },
  'callplane-pglite': {
    title: 'callplane on PGlite (embedded, on disk)',
    needs: ['drachtio'],
    start: (ctx) => startCallplane(ctx, pgliteDatabase(ctx), 'pglite', false),
  },
};

export const pgliteDatabase = (ctx: Pick<BenchContext, 'dir' | 'secretKey'>): PlaneDatabase => ({
  CALLPLANE_DATA_DIR: path.join(ctx.dir, 'data-pglite'),
  CALLPLANE_SECRET_KEY: ctx.secretKey,
});

/** its own database, so that its bindings and nonce-counts start from nothing like callplane-pg's */
export const sha256Database = (ctx: Pick<BenchContext, 'dir' | 'secretKey' | 'cluster'>): PlaneDatabase => ({
  DATABASE_URL: ctx.cluster!.url('callplane_sha256'),
  CALLPLANE_DATA_DIR: path.join(ctx.dir, 'data-pg-sha256'),
  CALLPLANE_SECRET_KEY: ctx.secretKey,
});
