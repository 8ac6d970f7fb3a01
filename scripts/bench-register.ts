// Register benchmark (npm run bench:register): SIPp REGISTER with digest for
// 10,000 users from a CSV, the rate stepped up until failures or
// retransmissions appear, against callplane (on PostgreSQL and on PGlite,
// behind a drachtio-server of its own) and two references on the same machine
// and user set: Kamailio with auth_db and usrloc write-through, and a bare
// drachtio-srf app doing only digest from memory (the ceiling). Prints the
// highest clean rate, response times, CPU per process and the ratios, and
// checks that callplane's bindings survive a crash. Every process it needs it
// starts itself, on loopback ports of its own, and stops by PID at the end,
// on failure and at its deadline too. See docs/bench-register.md.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PG_BIN, resetStatements, startCluster, topStatements } from './bench-register/postgres.js';
import { Processes } from './bench-register/processes.js';
import { hotspots } from './bench-register/profile.js';
import { type RunFacts, type TargetResult, report } from './bench-register/report.js';
import { REALM, benchUsers, seedCallplane, seedKamailio, writeCsv } from './bench-register/seed.js';
import { type SteppingPlan, stepUp, warmUp } from './bench-register/steps.js';
import { receiveBufferOf, setUdpReceiveBuffers } from './bench-register/udp-buffers.js';
import { warmPagePool } from './bench-register/warm-memory.js';
import { type BenchContext, DRACHTIO, KAMAILIO_SIP, TARGETS, type TargetId, pgliteDatabase, sha256Database } from './bench-register/targets.js';

const PG_PORT = 55434;
const SIPP_PORT = 5360;
/** the latency probe registers the last this many users in turn (probe.ts) */
const PROBE_USERS = 100;
const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

function readSettings() {
  const targets = (process.env.BENCH_TARGETS ?? 'callplane-pg,kamailio,bare-srf,callplane-pglite').split(',').map((t) => t.trim());
  const unknown = targets.filter((t) => !(t in TARGETS));
  if (unknown.length) throw new Error(`BENCH_TARGETS: unknown ${unknown.join(', ')} (known: ${Object.keys(TARGETS).join(', ')})`);
  const rates = (process.env.BENCH_RATES ?? '200,400,800,1200,1600,2400,3200,4000,4800,6400').split(',').map(Number);
  if (rates.some((r) => !Number.isInteger(r) || r <= 0)) throw new Error('BENCH_RATES: comma-separated calls per second');
  return {
    targets: targets as TargetId[],
    rates,
    stepSeconds: numberSetting('BENCH_STEP_SECONDS', 20),
    users: numberSetting('BENCH_USERS', 10_000),
    warmupRate: numberSetting('BENCH_WARMUP_RATE', 1000),
    refinements: process.env.BENCH_REFINE === '0' ? 0 : Math.floor(numberSetting('BENCH_REFINE', 2)),
    udpReceiveBuffer: process.env.BENCH_UDP_RMEM === '0' ? 0 : Math.floor(numberSetting('BENCH_UDP_RMEM', 4 * 1024 * 1024)),
    warmMb: process.env.BENCH_WARM_MB === '0' ? 0 : Math.floor(numberSetting('BENCH_WARM_MB', 4096)),
    deadlineMinutes: numberSetting('BENCH_DEADLINE_MINUTES', 25),
    profile: process.env.BENCH_PROFILE === '1',
    keep: process.env.BENCH_KEEP === '1',
    out: process.env.BENCH_OUT,
    drachtioBin: process.env.DRACHTIO_BIN ?? '/opt/drachtio/bin/drachtio',
  };
}

const onPath = (command: string) => (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, command)));

/** What is missing for each kind of need, in words; an empty map when everything is there. */
function missingPrerequisites(drachtioBin: string): Map<'postgres' | 'drachtio' | 'kamailio', string> {
  const missing = new Map<'postgres' | 'drachtio' | 'kamailio', string>();
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!executable(drachtioBin)) missing.set('drachtio', `no drachtio-server at ${drachtioBin} (set DRACHTIO_BIN)`);
  const hasPostgresUser = (() => {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!executable(path.join(PG_BIN, 'initdb')) || !hasPostgresUser || !onPath('runuser')) {
    missing.set('postgres', `no PostgreSQL server binaries in ${PG_BIN} or no user postgres (apt-get install postgresql; PG_BIN)`);
  }
  const modules = ['db_postgres', 'auth_db', 'usrloc', 'registrar'].filter((m) => !fs.existsSync(`${KAMAILIO_MODULES}/${m}.so`));
  if (!onPath('kamailio') || modules.length > 0) {
    missing.set('kamailio', `Kamailio or its modules (${modules.join(', ') || 'kamailio'}) are missing: apt-get install -y kamailio kamailio-postgres-modules`);
  }
  return missing;
}

async function portFree(port: number, kind: 'tcp' | 'udp'): Promise<boolean> {
  if (kind === 'udp') {
    const socket = dgram.createSocket('udp4');
    return new Promise((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
  }
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function checkPorts(): Promise<void> {
  const wanted: [number, 'tcp' | 'udp', string][] = [
    [DRACHTIO.admin, 'tcp', 'drachtio admin'],
    [DRACHTIO.sip, 'udp', 'drachtio SIP'],
    [KAMAILIO_SIP, 'udp', 'Kamailio SIP'],
    [SIPP_PORT, 'udp', 'SIPp'],
    [PG_PORT, 'tcp', 'PostgreSQL'],
  ];
  for (const [port, kind, what] of wanted) {
    if (!(await portFree(port, kind))) throw new Error(`${kind} port 127.0.0.1:${port} (${what}) is in use: is another benchmark running?`);
  }
}

async function main(): Promise<number> {
  const settings = readSettings();
  const started = Date.now();
  const deadline = started + settings.deadlineMinutes * 60_000;
  const log = (line: string) => {
    const t = Math.round((Date.now() - started) / 1000);
    process.stdout.write(`[${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}] ${line}\n`);
  };
  if (!onPath('sipp')) throw new Error('SIPp is not installed: apt-get install sip-tester');
  const missing = missingPrerequisites(settings.drachtioBin);
  await checkPorts();

  const buffers = setUdpReceiveBuffers(settings.udpReceiveBuffer);
  process.once('exit', () => buffers.restore());
  log(`UDP: ${buffers.note}`);
  const processes = new Processes();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-bench-register-'));
  fs.chmodSync(dir, 0o755);
  let expired = false;
  const stopOnDeadline = setTimeout(() => {
    expired = true;
    log(`deadline (${settings.deadlineMinutes} min) reached: stopping every process and printing what there is`);
    void processes.stopAll();
    setTimeout(() => process.exit(3), 90_000).unref();
  }, deadline - Date.now());
  const interrupt = () => {
    log('interrupted: stopping every process');
    void processes.stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const results: TargetResult[] = [];
  let failed = false;
  try {
    const chosen = settings.targets.map((id) => ({ id, ...TARGETS[id] }));
    const runnable = chosen.filter((t) => {
      const lacks = t.needs.map((n) => missing.get(n)).filter(Boolean);
      if (lacks.length) {
        log(`skipping ${t.title}: ${lacks.join('; ')}`);
        results.push({ id: t.id, title: t.title, skipped: lacks.join('; '), steps: [] });
      }
      return lacks.length === 0;
    });
    const ctx = await prepare(processes, dir, settings, runnable.map((t) => t.id), log);
    for (const target of runnable) {
      if (expired) break;
      results.push(await runTarget(processes, ctx, target.id, plan(settings, ctx, dir, () => expired, deadline, log), log));
    }
    const profile = ctx.profileDir ? hotspots(ctx.profileDir) : undefined;
    const facts: RunFacts = { users: settings.users, stepSeconds: settings.stepSeconds, date: new Date().toISOString().slice(0, 10), machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`, udp: buffers.note, profile };
    const text = report(results, facts);
    process.stdout.write(`\n${text}\n`);
    if (settings.out) {
      fs.writeFileSync(settings.out, `${text}\n`);
      fs.writeFileSync(`${settings.out}.json`, JSON.stringify({ facts, results }, null, 2));
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    clearTimeout(stopOnDeadline);
    await processes.stopAll();
    buffers.restore();
    if (settings.keep || failed || results.some((r) => r.error)) log(`logs and data kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  // 2: the deadline cut the run short; 1: a target failed
  return expired ? 2 : results.some((r) => r.error) ? 1 : 0;
}

function plan(settings: ReturnType<typeof readSettings>, ctx: BenchContext, dir: string, expired: () => boolean, deadline: number, log: (l: string) => void): SteppingPlan {
  return {
    probeUsers: ctx.users.slice(-PROBE_USERS),
    rates: settings.rates,
    stepSeconds: settings.stepSeconds,
    warmupRate: settings.warmupRate,
    refinements: settings.refinements,
    users: settings.users,
    csv: ctx.csv,
    localPort: SIPP_PORT,
    dir: path.join(dir, 'sipp'),
    expired,
    remaining: () => (deadline - Date.now()) / 1000,
    log,
  };
}

/** PostgreSQL (when a target needs it), the users in every database that is used, the CSV. */
async function prepare(processes: Processes, dir: string, settings: ReturnType<typeof readSettings>, ids: TargetId[], log: (l: string) => void): Promise<BenchContext> {
  const users = benchUsers(settings.users);
  const csv = path.join(dir, 'users.csv');
  writeCsv(csv, users);
  const needsPostgres = ids.some((id) => TARGETS[id].needs.includes('postgres'));
  const ctx: BenchContext = {
    processes,
    dir,
    repo: path.resolve(import.meta.dirname, '..'),
    csv,
    drachtioBin: settings.drachtioBin,
    drachtioSecret: crypto.randomBytes(12).toString('hex'),
    secretKey: crypto.randomBytes(32).toString('base64'),
    cluster: undefined,
    users,
    profileDir: settings.profile ? path.join(dir, 'profile') : undefined,
    warmMb: settings.warmMb,
  };
  if (needsPostgres) {
    fs.mkdirSync(path.join(dir, 'pg'));
    ctx.cluster = await startCluster(processes, path.join(dir, 'pg'), PG_PORT, settings.profile);
    log(`PostgreSQL started on 127.0.0.1:${PG_PORT} (postmaster ${ctx.cluster.postmaster.pid})`);
  }
  if (ids.includes('callplane-pg')) {
    await ctx.cluster!.query('postgres', 'CREATE DATABASE callplane');
    const seeded = await seedCallplane({ DATABASE_URL: ctx.cluster!.url('callplane'), CALLPLANE_DATA_DIR: path.join(dir, 'data-pg'), CALLPLANE_SECRET_KEY: ctx.secretKey }, users);
    log(`callplane on PostgreSQL: ${users.length} subaccounts in realm ${REALM} (${seeded.seconds.toFixed(1)} s)`);
  }
  if (ids.includes('callplane-pg-sha256')) {
    await ctx.cluster!.query('postgres', 'CREATE DATABASE callplane_sha256');
    const seeded = await seedCallplane(sha256Database(ctx), users);
    log(`callplane on PostgreSQL (SHA-256 + MD5): ${users.length} subaccounts (${seeded.seconds.toFixed(1)} s)`);
  }
  if (ids.includes('callplane-pglite')) {
    const seeded = await seedCallplane(pgliteDatabase(ctx), users);
    log(`callplane on PGlite: ${users.length} subaccounts (${seeded.seconds.toFixed(1)} s)`);
  }
  if (ids.includes('kamailio')) {
    await seedKamailio(ctx.cluster!, 'kamailio', users);
    log(`Kamailio: ${users.length} subscribers with HA1 in database kamailio`);
  }
  return ctx;
}

async function runTarget(processes: Processes, ctx: BenchContext, id: TargetId, steps: SteppingPlan, log: (l: string) => void): Promise<TargetResult> {
  const target = TARGETS[id];
  const result: TargetResult = { id, title: target.title, steps: [] };
  log(`${target.title}: starting`);
  let running;
  const statements = ctx.profileDir && ctx.cluster && target.database ? { cluster: ctx.cluster, database: target.database } : undefined;
  try {
    result.warmed = warmPagePool(ctx.warmMb);
    if (result.warmed) log(`    memory: ${result.warmed.mb.toLocaleString('en')} MB touched and freed in ${(result.warmed.ms / 1000).toFixed(1)} s`);
    running = await target.start(ctx);
    result.udpReceiveBuffer = receiveBufferOf(target.needs.includes('kamailio') ? KAMAILIO_SIP : DRACHTIO.sip);
    log(`    its SIP socket's receive buffer: ${result.udpReceiveBuffer?.toLocaleString('en') ?? 'unknown'} bytes`);
    if (statements) await resetStatements(statements.cluster);
    result.warmup = await warmUp(processes, running, steps);
    result.steps = await stepUp(processes, running, steps);
    if (statements) {
      const registrations = [result.warmup, ...result.steps].reduce((sum, s) => sum + s.stats.successful + s.probe.samples, 0);
      result.statements = { registrations, top: await topStatements(statements.cluster, statements.database) };
    }
    if (running.durability && !steps.expired()) {
      result.durability = await running.durability();
      log(`    bindings: ${result.durability.before} before, ${result.durability.after} after ${result.durability.how}`);
    }
    if (running.storedBindings) result.storedBindings = await running.storedBindings();
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    log(`    ${target.title} failed: ${result.error}`);
  } finally {
    await running?.stop();
  }
  return result;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:register failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
