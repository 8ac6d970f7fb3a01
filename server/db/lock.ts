// One process at a time on an embedded (PGlite) data dir: PGlite is a single
// in-process PostgreSQL, and two processes writing the same files corrupt them.
// The server and the operator CLI both take this lock; a PostgreSQL server
// (DATABASE_URL) needs none.
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'callplane.lock';

/**
 * Lock files this process holds. A lock file naming our own PID that is not in
 * here was left by an earlier process that had the same PID: a container's
 * server restarted after a crash gets the same PID from its fresh PID namespace.
 */
const held = new Set<string>();

export interface DataDirLock {
  release(): void;
}

/**
 * Creates `<dataDir>/callplane.lock` holding this process's PID, or throws when
 * a live process holds it. A lock left by a dead process is replaced.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), LOCK_FILE);
  const mine = String(process.pid);
  // Two attempts: the second follows the removal of a stale lock. Two processes
  // replacing the same stale lock at the same instant are not told apart; the
  // lock guards against a second start by an operator, not a contention race.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, `${mine}\n`, { flag: 'wx', mode: 0o644 });
      held.add(file);
      return { release: () => releaseIfMine(file, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(file);
    const live = holder === process.pid ? held.has(file) : holder !== undefined && isAlive(holder);
    if (live) {
      throw new Error(
        `callplane is already running on this embedded database (pid ${holder}); stop it first, or point both at a PostgreSQL server with DATABASE_URL`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new Error(`could not take the lock ${file}; another process keeps replacing it`);
}

/** The PID written in the lock file, or undefined when it is unreadable (a crash mid-write). */
function holderOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // removed between our write attempt and this read: treat as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock only while it is still ours, so a release never drops another process's lock. */
function releaseIfMine(file: string, mine: string): void {
  if (!held.delete(file)) return;
  try {
    if (fs.readFileSync(file, 'utf8').trim() === mine) fs.rmSync(file, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
