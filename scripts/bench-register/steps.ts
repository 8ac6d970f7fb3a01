// Rate stepping for one target: a warm-up that registers every user once,
// then steps of rising rate, each held for the step time, until one shows a
// failure or a retransmission (or falls behind its rate); then the gap between
// the last clean rate and the first unclean one is halved (twice by default).
// The result is the highest clean rate, with the CPU each process used then.
// Each step starts once the target is idle again, and no sooner than 33 s
// after an unclean one (the SIP stack's Timer J: see AFTER_UNCLEAN_MS).
import path from 'node:path';
import { LatencyProbe } from './probe.js';
import { type Processes, allCpu, cpuBetween, cpuSeconds, runQueueSeconds, treeCpu, treeWait } from './processes.js';
import { REALM, type BenchUser } from './seed.js';
import { type Percentiles, type SippStats, percentiles, runSipp } from './sipp.js';
import type { Running } from './targets.js';

export interface StepResult {
  rate: number;
  calls: number;
  stats: SippStats;
  clean: boolean;
  /** why the step is not clean */
  why: string;
  /** response times from the driver's probe, ms (microsecond resolution) */
  probe: { registration: Percentiles; answer: Percentiles; samples: number; lost: number };
  /** % of one core, per process group of the target */
  cpu: { label: string; percent: number }[];
  sippPercent: number;
  /** % of the step's wall time each process group's threads (summed) were runnable but waiting for a core; SIPp last */
  waited: { label: string; percent: number }[];
  /** % of one core used by every process that is not part of the benchmark (a shared machine) */
  othersPercent: number;
  /** unclean while other processes took more than NOISY_PERCENT: repeated, and left out of the verdict */
  noisy?: boolean;
}

export interface SteppingPlan {
  rates: number[];
  stepSeconds: number;
  warmupRate: number;
  users: number;
  csv: string;
  /** the users the latency probe registers as, in turn (the CSV's last ones) */
  probeUsers: BenchUser[];
  localPort: number;
  dir: string;
  /** how many times the gap between the last clean and the first unclean rate is halved */
  refinements: number;
  /** true once the run's deadline has passed: no new step starts */
  expired: () => boolean;
  /** seconds left before the deadline */
  remaining: () => number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** probe registrations per second: 5 % of the load, at least 10/s, at most 100/s */
const WARMUP_IN_FLIGHT = 32;
/** other processes' CPU (% of one core) above which an unclean step is repeated once */
const NOISY_PERCENT = 25;
const probeRate = (rate: number) => Math.min(100, Math.max(10, Math.round(rate / 20)));

function verdict(stats: SippStats, rate: number, calls: number): string {
  const reasons = [
    stats.failed > 0 && `${stats.failed} failed`,
    stats.retransmissions > 0 && `${stats.retransmissions} retransmissions`,
    stats.successful < calls && `${calls - stats.successful} not completed`,
    stats.achievedRate < 0.95 * rate && `only ${stats.achievedRate.toFixed(0)}/s achieved`,
  ].filter(Boolean);
  return reasons.join(', ');
}

export async function measureStep(
  processes: Processes,
  running: Running,
  plan: SteppingPlan,
  step: { rate: number; calls: number; name: string; limit?: number },
): Promise<StepResult> {
  const { rate, calls, name } = step;
  const groups = running.cpu();
  const before = groups.map((g) => treeCpu(g.pid));
  const waitBefore = groups.map((g) => treeWait(g.pid));
  const everyoneBefore = allCpu();
  const t0 = performance.now();
  let sippPid = 0;
  let sippSeconds = 0;
  let sippWaitSeconds = 0;
  const poll = setInterval(() => {
    if (!sippPid) return;
    sippSeconds = Math.max(sippSeconds, cpuSeconds(sippPid));
    sippWaitSeconds = Math.max(sippWaitSeconds, runQueueSeconds(sippPid));
  }, 250);
  const probe = new LatencyProbe(running.sip, plan.probeUsers, REALM, plan.localPort);
  await probe.start(probeRate(rate));
  const stats = await runSipp(processes, {
    target: `${running.sip.host}:${running.sip.port}`,
    csv: plan.csv,
    rate,
    calls,
    localPort: plan.localPort,
    dir: path.join(plan.dir, name),
    limit: step.limit,
    timeoutSeconds: Math.ceil(calls / rate) + (step.limit ? 300 : 60),
    onStart: (pid) => (sippPid = pid),
  }).finally(() => clearInterval(poll));
  const wall = (performance.now() - t0) / 1000;
  const after = groups.map((g) => treeCpu(g.pid));
  const waitAfter = groups.map((g) => treeWait(g.pid));
  const everyoneAfter = allCpu();
  const probed = await probe.stop();
  const percent = (seconds: number) => (100 * seconds) / wall;
  const cpu = groups.map((g, i) => ({ label: g.label, percent: percent(cpuBetween(before[i]!, after[i]!)) }));
  const waited = [
    ...groups.map((g, i) => ({ label: g.label, percent: percent(cpuBetween(waitBefore[i]!, waitAfter[i]!)) })),
    { label: 'sipp', percent: percent(sippWaitSeconds) },
  ];
  const ours = new Set([process.pid, sippPid, ...after.flatMap((tree) => [...tree.keys()])]);
  const others = cpuBetween(new Map([...everyoneBefore].filter(([pid]) => !ours.has(pid))), new Map([...everyoneAfter].filter(([pid]) => !ours.has(pid))));
  const why = verdict(stats, rate, calls);
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  return {
    rate,
    calls,
    stats,
    clean: why === '',
    why,
    probe: { registration: percentiles(sorted(probed.registration)), answer: percentiles(sorted(probed.answer)), samples: probed.registration.length, lost: probed.lost },
    cpu,
    sippPercent: percent(sippSeconds),
    waited,
    othersPercent: percent(others),
  };
}

function describe(step: StepResult): string {
  const s = step.stats;
  const cpu = [...step.cpu.map((c) => `${c.label} ${c.percent.toFixed(0)}%`), `sipp ${step.sippPercent.toFixed(0)}%`].join(', ');
  return (
    `${String(step.rate).padStart(5)}/s: ${step.clean ? 'clean' : `NOT clean (${step.why})`}; ` +
    `${s.successful}/${step.calls} ok, ${s.achievedRate.toFixed(0)}/s, p50/p99 ${step.probe.registration.p50.toFixed(2)}/${step.probe.registration.p99.toFixed(2)} ms; ` +
    `CPU ${cpu}, other processes ${step.othersPercent.toFixed(0)}%`
  );
}

/**
 * The warm-up: every user registers once (so every binding exists), not
 * measured. At most WARMUP_IN_FLIGHT registrations at a time, so a slow target
 * is filled at its own pace instead of drowned in retransmissions.
 */
export async function warmUp(processes: Processes, running: Running, plan: SteppingPlan): Promise<StepResult> {
  const step = await measureStep(processes, running, plan, { rate: plan.warmupRate, calls: plan.users, name: 'warmup', limit: WARMUP_IN_FLIGHT });
  plan.log(
    `    warm-up: ${step.stats.successful} of ${plan.users} users registered at ${step.stats.achievedRate.toFixed(0)}/s ` +
      `(≤ ${plan.warmupRate}/s, ≤ ${WARMUP_IN_FLIGHT} at a time), ${step.stats.failed} failed, ${step.stats.retransmissions} retransmissions`,
  );
  return step;
}

/**
 * Waits until the target's processes are idle again (under 10 % of a core over
 * a second), so a step does not inherit the backlog of the one before; at most 30 s.
 */
async function settle(running: Running): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const groups = running.cpu();
    const before = groups.map((g) => treeCpu(g.pid));
    await sleep(1000);
    const busy = groups.reduce((sum, g, i) => sum + cpuBetween(before[i]!, treeCpu(g.pid)), 0);
    if (busy < 0.1) return;
  }
}

/**
 * A SIP stack keeps every non-INVITE transaction for 64·T1 = 32 s over UDP
 * (Timer J); an overloaded step leaves it holding tens of thousands more, with
 * the memory they take. The step after an unclean one waits this long after it,
 * so it starts from the state a rising step would (every target alike).
 */
export const AFTER_UNCLEAN_MS = 33_000;

export async function stepUp(processes: Processes, running: Running, plan: SteppingPlan): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  const room = () => !plan.expired() && plan.remaining() > plan.stepSeconds + 45 + AFTER_UNCLEAN_MS / 1000;
  let uncleanEnded = -Infinity;
  const run = async (rate: number, note = ''): Promise<StepResult> => {
    const wait = uncleanEnded + AFTER_UNCLEAN_MS - Date.now();
    if (wait > 0) await sleep(wait);
    await settle(running);
    const step = await measureStep(processes, running, plan, { rate, calls: rate * plan.stepSeconds, name: `rate-${rate}-${steps.length}` });
    steps.push(step);
    if (!step.clean) uncleanEnded = Date.now();
    plan.log(`    ${describe(step)}${note}`);
    if (step.clean || step.othersPercent <= NOISY_PERCENT || steps.filter((s) => s.rate === rate).length > 1 || !room()) return step;
    // a shared machine: someone else's work may have tipped this step over; it gets one more try
    step.noisy = true;
    plan.log(`    other processes took ${step.othersPercent.toFixed(0)}% of a core during that step: repeating it once`);
    return run(rate, note);
  };
  for (const rate of plan.rates) {
    if (!room() || !(await run(rate)).clean) break;
  }
  // then halve the gap between the highest clean rate and the lowest unclean one, `refinements` times
  for (let i = 0; i < plan.refinements && room(); i++) {
    const clean = highestClean(steps);
    const unclean = steps.filter((s) => !s.clean && !s.noisy).sort((a, b) => a.rate - b.rate)[0];
    if (!clean || !unclean) break;
    const middle = Math.round((clean.rate + unclean.rate) / 2 / 25) * 25;
    if (middle <= clean.rate || middle >= unclean.rate || unclean.rate - clean.rate <= 0.1 * clean.rate) break;
    await run(middle, ` (between ${clean.rate} and ${unclean.rate})`);
  }
  return steps;
}

export const highestClean = (steps: StepResult[]) => steps.filter((s) => s.clean).sort((a, b) => b.rate - a.rate)[0];
