// Call authorization benchmark (npm run bench:authorize): the latency of the
// switch's question "may this call go ahead, and for how long?" — plan lookup,
// the balance row locked FOR UPDATE, the reservation written — with 50
// requests in flight at once. On PostgreSQL when DATABASE_URL is set (a fresh
// database, dropped afterwards), else on embedded PGlite.
// Closed loops: 50 accounts with one caller each (the target: p99 < 5 ms),
// and the worst case, 50 calls at once against ONE shared balance, which the
// row lock serialises by design (no overdraft). A closed loop of 50 keeps 50
// waiting, so its latency is 50 / throughput (Little's law) whatever one
// authorization costs; open loops — arrivals at a fixed rate over the 50
// accounts, latency counted from each arrival's scheduled time, so a stall
// delays every arrival behind it — show the latency below saturation. The
// benched calls never end, so every load starts by ending the previous load's
// (releaseStale). A closed load of 50 goes in batches of 50, so its p99 is
// decided by its slowest batches: 400 authorizations per caller (400 batches)
// make it the 4th-slowest batch rather than the 1st of 100 (what a caller's
// calls in progress hold is kept on its balance row, so a longer load no
// longer costs more per authorization).
// The loads start warm, as a long-running control plane is: after the
// setup's changes the routing directory and the rate decks are read again,
// and the first authorizations wait for that (tens of ms, as after any change
// through the API), and the code is not yet compiled by the JIT; so
// BENCH_AUTHORIZE_WARMUP (20) authorizations per caller run first, their
// latencies printed on their own.
// Each load also prints the CPU time one authorization cost (CpuMeter): on a
// shared machine latencies swing with the neighbours' load, CPU time hardly.
// BENCH_AUTHORIZATIONS_PER_WORKER (400), BENCH_AUTHORIZE_RATES (200,500,1000)
// and BENCH_AUTHORIZE_SECONDS (10) size the loads.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { allCpu, cpuBetween } from './bench-register/processes.js';
import { type Caller, accountSchemas, subaccountSchemas } from '../server/accounts/index.js';
import { chargingSchemas } from '../server/charging/index.js';
import { loadConfig } from '../server/config.js';
import { openFeatures } from '../server/control-plane.js';

const CONCURRENCY = 50;
const PER_WORKER = Number(process.env.BENCH_AUTHORIZATIONS_PER_WORKER ?? 400);
const TARGET_P99_MS = 5;
/** /proc/<pid>/stat counts CPU in clock ticks: 100 a second on Linux (getconf CLK_TCK) */
const CLOCK_TICKS = 100;
const WARM_UP = Number(process.env.BENCH_AUTHORIZE_WARMUP ?? 20);
const OPEN_LOOP_RATES = (process.env.BENCH_AUTHORIZE_RATES ?? '200,500,1000').split(',').map(Number);
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_AUTHORIZE_SECONDS ?? 10);
const FREE = { kind: 'fixed', perMinuteMicros: 0 } as const;
const PLAN = {
  name: 'Bench prepaid', billing: 'prepaid', currency: 'EUR',
  allow: { incoming: true, publicNetwork: true, extensions: true, networkNumbers: true,
    classes: { local: true, national: true, mobile: true, international: true, toll_free: true, premium: true } },
  segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 6 },
  prices: { local: { kind: 'fixed', perMinuteMicros: 20_000 }, national: { kind: 'fixed', perMinuteMicros: 30_000 }, mobile: FREE, international: FREE, toll_free: FREE, premium: FREE },
  isDefault: false,
} as const;

async function freshDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> } | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const admin = process.env.DATABASE_URL;
  const name = `callplane_bench_${crypto.randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const database = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: database?.url ?? '', CALLPLANE_SECRET_KEY: crypto.randomBytes(32).toString('base64') });
  const opened = await openFeatures(config, database ? undefined : { dataDir: 'memory://' });
  const { features } = opened;
  try {
    const operator = await features.accounts.ensureOperator('Bench');
    const staff: Caller = { userId: null, label: 'bench', role: 'operator', accountId: operator.id, subaccountId: null };
    const callers: { accountId: string; subaccountId: string }[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const account = await features.accounts.create(staff, accountSchemas.createAccount.parse({ name: `Bench ${i}`, country: 'DE', timezone: 'Europe/Berlin' }));
      const sub = await features.subaccounts.create(staff, account.id, subaccountSchemas.createSubaccount.parse({ name: `caller ${i}` }));
      const plan = await features.chargingPlans.create(staff, account.id, chargingSchemas.planInput.parse(PLAN));
      await features.chargingPlans.assign(staff, account.id, sub.id, plan.id);
      await features.balances.post(staff, account.id, chargingSchemas.staffEntry.parse({ kind: 'topup', amountMinor: 100_000_000, currency: 'EUR' }));
      callers.push({ accountId: account.id, subaccountId: sub.id });
    }
    console.log(`database: ${opened.databaseKind}; ${CONCURRENCY} requests in flight, ${CONCURRENCY * PER_WORKER} authorizations per load`);
    const cpu = new CpuMeter(database?.name);
    const warmUp = await load(features, callers, WARM_UP);
    report(`warm-up, ${WARM_UP} per caller (the caches read after the setup, the JIT compiling)`, warmUp, false);
    await endCalls(features);
    if (process.env.X_ONLY) { const c = new pg.Client({ connectionString: process.env.DATABASE_URL }); await c.connect(); await c.query('select pg_stat_statements_reset()'); await c.end(); }
    const spread = await cpu.around(() => load(features, callers));
    report('closed loop, 50 accounts, one caller each', spread, true);
    await endCalls(features);
    if (process.env.X_ONLY) return;
    const shared = await cpu.around(() => load(features, callers.map(() => callers[0]!)));
    report('closed loop, one shared balance, 50 callers (serialised by its row lock)', shared, false);
    for (const rate of OPEN_LOOP_RATES) {
      await endCalls(features);
      const open = await cpu.around(() => openLoop(features, callers, rate));
      report(`open loop, ${rate}/s over 50 accounts for ${OPEN_LOOP_SECONDS} s (most in flight ${open.mostInFlight})`, open, true);
    }
  } finally {
    await opened.close();
    await database?.drop();
  }
}

type Features = Awaited<ReturnType<typeof openFeatures>>['features'];
type BenchCaller = { accountId: string; subaccountId: string };

async function authorizeOnce(features: Features, caller: BenchCaller): Promise<void> {
  const answer = await features.callCharging.authorize(
    { callUuid: crypto.randomUUID(), ...caller, class: 'national', direction: 'outgoing', dialedDigits: '493012345678' },
    new Date(),
  );
  if (!answer.allowed) throw new Error(`refused: ${answer.message}`);
}

/** Releases every reservation held: the benched calls are over (as if long past their last second). */
async function endCalls(features: Features): Promise<void> {
  await features.callCharging.releaseStale(new Date(Date.now() + 24 * 3_600_000));
}

async function load(features: Features, callers: BenchCaller[], perWorker = PER_WORKER) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    callers.map(async (caller) => {
      for (let i = 0; i < perWorker; i++) {
        const t0 = performance.now();
        await authorizeOnce(features, caller);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/** `rate` arrivals a second for OPEN_LOOP_SECONDS, round robin over the callers, whatever is still in flight. */
async function openLoop(features: Features, callers: BenchCaller[], rate: number) {
  const total = Math.round(rate * OPEN_LOOP_SECONDS);
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const started = performance.now();
  const arrive = (n: number) => {
    const scheduled = started + (n * 1000) / rate;
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    pending.push(
      authorizeOnce(features, callers[n % callers.length]!).then(() => {
        inFlight--;
        latencies.push(performance.now() - scheduled);
      }),
    );
  };
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; next < due; next++) arrive(next);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000, mostInFlight };
}

/**
 * CPU time spent during a load, per authorization: this process's, and that of
 * the bench database's PostgreSQL backends (from /proc, so only when the
 * server runs on this host). A machine shared with other work stretches
 * latencies, but hardly the CPU time one authorization costs.
 */
class CpuMeter {
  constructor(private readonly database: string | undefined) {}

  async around<R extends { latencies: number[] }>(run: () => Promise<R>): Promise<R & { cpu: string }> {
    const node = process.cpuUsage();
    const pg = await this.backendMs();
    const machine = machineCpu();
    const started = performance.now();
    const result = await run();
    const wallMs = performance.now() - started;
    const nodeMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(node));
    const after = machine && machineCpu();
    const machineMs = machine && after ? cpuBetween(machine, after) * 1000 : undefined;
    const pgAfter = await this.backendMs();
    const pgMs = pg && pgAfter && [...pgAfter].reduce((sum, [pid, ms]) => sum + ms - (pg.get(pid) ?? 0), 0);
    const each = (ms: number) => (ms / result.latencies.length).toFixed(3);
    // what the rest of the machine took meanwhile: a latency tail that comes with it is the neighbours'
    const others = machineMs === undefined ? '' : `; other processes ${Math.max(0, Math.round((100 * (machineMs - nodeMs - (pgMs ?? 0))) / wallMs))}% of a core`;
    const cpu = `CPU per authorization: node ${each(nodeMs)} ms` + (pgMs === undefined ? '' : ` + PostgreSQL ${each(pgMs)} ms`) + others;
    return { ...result, cpu };
  }

  /** CPU ms of each backend connected to the bench database; undefined when /proc does not show them. */
  private async backendMs(): Promise<Map<number, number> | undefined> {
    if (!this.database) return undefined;
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [this.database]);
    await client.end();
    const ms = new Map<number, number>();
    for (const { pid } of rows) {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      if (!stat) return undefined;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    }
    return ms;
  }
}

/** CPU seconds of every process on the machine, by PID (bench:register's counters); undefined off Linux. */
function machineCpu(): Map<number, number> | undefined {
  try {
    return allCpu();
  } catch {
    return undefined;
  }
}

function report(label: string, run: { latencies: number[]; seconds: number; cpu?: string }, target: boolean): void {
  const p50 = percentile(run.latencies, 50);
  const p99 = percentile(run.latencies, 99);
  const rate = Math.round(run.latencies.length / run.seconds);
  const verdict = target ? `  target p99 < ${TARGET_P99_MS} ms: ${(p99 / TARGET_P99_MS).toFixed(2)}× the budget ${p99 < TARGET_P99_MS ? 'MET' : 'MISSED'}` : '';
  console.log(`${label}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ${rate} authorizations/s${verdict}${run.cpu ? `; ${run.cpu}` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
