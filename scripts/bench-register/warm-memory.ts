// Memory that is fast to take for every target alike. On this kind of machine
// (a VM whose balloon device takes freed guest memory back), a page the guest
// has not touched lately costs ~10 µs to fault in, one freed moments ago ~2 µs.
// drachtio-server keeps each transaction ~9 KB for 64·T1 = 32 s, so its heap
// grows by ~60 MB/s at 2,800 registrations/s: 15 % of a core on cold pages,
// 3 % on warm ones, and which a target gets depended on what ran just before it
// (perf: clear_page_erms under tcmalloc's Populate, 19 % of drachtio-server's
// samples in one run, 3 % in the next). So before each target the benchmark
// touches BENCH_WARM_MB of memory in a child process and lets it go: every
// target starts on the same pool of recently freed pages. 0 skips it.
import { spawnSync } from 'node:child_process';

const CHUNK_MB = 64;

export interface Warmed {
  mb: number;
  ms: number;
}

/** Touches `mb` MB in a child process that then exits; how long it took (cold pages are slow). */
export function warmPagePool(mb: number): Warmed | undefined {
  if (mb <= 0) return undefined;
  const started = performance.now();
  const script = `const keep = []; for (let i = 0; i < ${Math.ceil(mb / CHUNK_MB)}; i++) keep.push(Buffer.allocUnsafeSlow(${CHUNK_MB} << 20).fill(1)); process.exit(keep.length > 0 ? 0 : 1);`;
  const child = spawnSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 120_000 });
  if (child.status !== 0) return undefined;
  return { mb, ms: Math.round(performance.now() - started) };
}
