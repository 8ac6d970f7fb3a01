// Where callplane's CPU goes: reads the V8 profile `node --cpu-prof` wrote and
// sums self time by function and by area (the registrar's own code, the
// database driver, drachtio-srf, crypto, …), hottest first.
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface Hotspot {
  name: string;
  selfPercent: number;
}

/** Which part of the stack a frame belongs to. */
export function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)') return 'V8/native (program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return `npm: ${pkg}`;
  const own = /\/(server|scripts)\/(.+?)(?:\.[jt]s)?$/.exec(url);
  if (own) return own[1] === 'server' ? `server/${own[2]!.split('/')[0]}` : 'scripts';
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url === '' ? 'native / builtins' : 'other';
}

function shortUrl(url: string): string {
  const at = url.search(/node_modules\/|server\//);
  return at >= 0 ? url.slice(at).replace(/^node_modules\//, '') : path.basename(url);
}

function busySamples(profile: CpuProfile): number {
  return profile.nodes.filter((n) => n.callFrame.functionName !== '(idle)').reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
}

/**
 * The hottest functions and areas, by self time in % of busy time, of the
 * busiest profile in `dir`: node writes one per thread, and tsx's module
 * loader thread has one of its own.
 */
export function hotspots(dir: string, top = 15): { functions: Hotspot[]; areas: Hotspot[]; seconds: number; busyPercent: number } | undefined {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  const profiles = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CpuProfile);
  const profile = profiles.sort((a, b) => busySamples(b) - busySamples(a))[0];
  if (!profile) return undefined;
  // idle samples are left out: percentages are of the time the thread was busy
  const busy = profile.nodes.filter((n) => n.callFrame.functionName !== '(idle)');
  const total = busySamples(profile) || 1;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of busy) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const ranked = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, hits]) => ({ name, selfPercent: (100 * hits) / total }));
  const idleHits = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  return {
    functions: ranked(byFunction, top),
    areas: ranked(byArea, top),
    seconds: (profile.endTime - profile.startTime) / 1e6,
    busyPercent: (100 * total) / (total + idleHits),
  };
}
