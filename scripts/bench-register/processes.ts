// The processes a benchmark run starts, and their CPU time. Every process is
// known by its PID from the moment it starts; stopAll() ends them in reverse
// order (TERM, then KILL after a grace period), and a last synchronous sweep on
// exit kills whatever is left, so nothing outlives the run, even on failure.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

export interface Tracked {
  name: string;
  pid: number;
  /** resolves when the process has gone */
  stop(): Promise<void>;
  /** the signal the synchronous exit sweep sends */
  emergencySignal: NodeJS.Signals;
}

export interface Spawned extends Tracked {
  child: ChildProcess;
  exited: Promise<number | null>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to `pid`, then SIGKILL after `graceMs`, and waits (bounded) until it is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 8000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGKILL');
  const hard = Date.now() + 3000;
  while (isAlive(pid) && Date.now() < hard) await sleep(50);
}

export class Processes {
  private readonly running: Tracked[] = [];

  constructor() {
    process.on('exit', () => {
      for (const p of this.running) {
        try {
          process.kill(p.pid, p.emergencySignal);
        } catch {
          // already gone
        }
      }
    });
  }

  /** Starts `command` with its output appended to `logFile`. */
  spawn(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string }): Spawned {
    const out = fs.openSync(options.logFile, 'a');
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const pid = child.pid;
    const exited = new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(null));
    });
    const spawned: Spawned = {
      name,
      pid,
      child,
      exited,
      emergencySignal: 'SIGKILL',
      stop: async () => {
        await stopPid(pid);
        await Promise.race([exited, sleep(1000)]);
        this.forget(pid);
      },
    };
    this.running.push(spawned);
    return spawned;
  }

  /** Tracks a process this run started some other way (PostgreSQL's postmaster via pg_ctl). */
  track(entry: Tracked): Tracked {
    const tracked = { ...entry, stop: async () => (await entry.stop(), this.forget(entry.pid)) };
    this.running.push(tracked);
    return tracked;
  }

  /** Sends SIGKILL and waits: a crash, for the durability check. */
  async kill(p: Spawned): Promise<void> {
    if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
    await Promise.race([p.exited, sleep(5000)]);
    this.forget(p.pid);
  }

  async stopAll(): Promise<void> {
    for (const p of [...this.running].reverse()) {
      await p.stop().catch((error: unknown) => process.stderr.write(`could not stop ${p.name} (${p.pid}): ${String(error)}\n`));
    }
  }

  private forget(pid: number): void {
    const at = this.running.findIndex((p) => p.pid === pid);
    if (at >= 0) this.running.splice(at, 1);
  }
}

// ---- CPU time from /proc ----

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64

function statFields(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces; fields after it start past the last ')'
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** user + system CPU seconds of one process, or 0 when it has gone. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  // after the ')': state is [0], utime [11], stime [12]
  return f ? (Number(f[11]) + Number(f[12])) / CLOCK_TICKS : 0;
}

/**
 * Seconds the threads of one process spent runnable but waiting for a core
 * (/proc/<pid>/task/<tid>/schedstat, field 2), or 0 when it has gone: on a
 * machine with fewer cores than busy threads, what a process lost to the others.
 */
export function runQueueSeconds(pid: number): number {
  let total = 0;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return total;
}

/** `root` and every process descended from it. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (!f) continue;
    const ppid = Number(f[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0 && found.length < 10_000) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(parents.get(pid) ?? []));
  }
  return found;
}

/** CPU seconds of a process tree, by PID: a snapshot to subtract from a later one (exited children drop out). */
export function treeCpu(root: number): Map<number, number> {
  return new Map(processTree(root).map((pid) => [pid, cpuSeconds(pid)]));
}

/** Run-queue seconds of a process tree, by PID, to subtract like treeCpu's. */
export function treeWait(root: number): Map<number, number> {
  return new Map(processTree(root).map((pid) => [pid, runQueueSeconds(pid)]));
}

/** CPU seconds spent between two snapshots of the same tree (or run-queue seconds, of treeWait's); processes born in between count from zero. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/**
 * CPU seconds of every process on the machine: what other processes (other
 * people's tests on a shared machine) took during a step. /proc/stat's
 * machine-wide counters are sampled at each tick and miss short bursts here,
 * while each process's own utime + stime adds up its real run time.
 */
export function allCpu(): Map<number, number> {
  const all = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) if (/^\d+$/.test(entry)) all.set(Number(entry), cpuSeconds(Number(entry)));
  return all;
}
