// The register benchmark's printout: one summary row per target, the ratios
// against the two references with their targets, the durability check, and
// every step that was run — as Markdown tables, ready for the README.
import type { StatementCost } from './postgres.js';
import type { Hotspot } from './profile.js';
import { type StepResult, highestClean } from './steps.js';
import type { Durability, TargetId } from './targets.js';
import type { Warmed } from './warm-memory.js';

export interface TargetResult {
  id: TargetId;
  title: string;
  skipped?: string;
  error?: string;
  warmup?: StepResult;
  steps: StepResult[];
  durability?: Durability;
  storedBindings?: number;
  /** the receive buffer of its SIP socket, bytes (`ss`) */
  udpReceiveBuffer?: number | undefined;
  /** memory touched and freed just before the target started (warm-memory.ts) */
  warmed?: Warmed | undefined;
  /** pg_stat_statements over the warm-up and the steps (profile runs) */
  statements?: { registrations: number; top: StatementCost[] };
}

export interface RunFacts {
  users: number;
  stepSeconds: number;
  date: string;
  machine: string;
  /** the UDP receive buffer setting of the run */
  udp: string;
  profile?: { functions: Hotspot[]; areas: Hotspot[]; seconds: number; busyPercent: number } | undefined;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');
const coarse = (v: number) => (Number.isFinite(v) ? String(v) : '—');
const pct = (v: number) => `${v.toFixed(0)}%`;

function summaryRow(r: TargetResult, users: number): string {
  if (r.skipped || r.error) return `| ${r.title} | ${r.skipped ? `skipped: ${r.skipped}` : `error: ${r.error!.split('\n')[0]}`} | | | | | | |`;
  const best = highestClean(r.steps);
  const tried = r.steps.map((s) => `${s.rate}${s.clean ? '' : s.noisy ? '~' : '✗'}`).join(' ');
  const kept =
    r.durability !== undefined
      ? `${r.durability.before} → ${r.durability.after} (${r.durability.how})${r.durability.after === r.durability.before && r.durability.after >= users ? ' ✓' : ' ✗'}`
      : r.storedBindings !== undefined
        ? `${r.storedBindings} in its database`
        : 'none (memory only)';
  if (!best) return `| ${r.title} | ${r.steps.length ? `none clean (${tried})` : 'no step run (deadline)'} | | | | | | ${kept} |`;
  const cpu = [...best.cpu.map((c) => `${c.label} ${pct(c.percent)}`), `sipp ${pct(best.sippPercent)}`].join(', ');
  const { registration, answer } = best.probe;
  // CPU of the target's own processes (not SIPp's) per registration: steadier than the rate on a shared machine
  const perRegistration = (10 * best.cpu.reduce((sum, c) => sum + c.percent, 0)) / best.stats.achievedRate;
  return (
    `| ${r.title} | **${best.rate}** (${best.rate * 2} requests/s) | ${ms(registration.p50)} / ${ms(registration.p99)} | ` +
    `${ms(answer.p50)} / ${ms(answer.p99)} | ${cpu} | ${perRegistration.toFixed(2)} | ${pct(best.othersPercent)} | ${kept} |`
  );
}

/** `pass` absent: a ratio for information, with no verdict. */
function ratioLine(results: TargetResult[], subject: TargetId, reference: TargetId, target: string, pass?: (r: number) => boolean): string {
  const a = results.find((r) => r.id === subject);
  const b = results.find((r) => r.id === reference);
  const ra = a && highestClean(a.steps)?.rate;
  const rb = b && highestClean(b.steps)?.rate;
  if (!a || !b) return '';
  if (!ra || !rb) return `| ${a.title} / ${b.title} | — | ${target} | not measured |`;
  const ratio = ra / rb;
  const verdict = pass ? (pass(ratio) ? 'met' : '**missed**') : '';
  return `| ${a.title} / ${b.title} | ${ratio.toFixed(2)} (${ra} / ${rb}) | ${target} | ${verdict} |`;
}

function ratioTable(results: TargetResult[]): string[] {
  const rows = [
    ratioLine(results, 'callplane-pg', 'kamailio', '> 1.0', (x) => x > 1),
    ratioLine(results, 'callplane-pg', 'bare-srf', '≥ 0.75', (x) => x >= 0.75),
    ratioLine(results, 'bare-srf-commit', 'bare-srf', '(the group commit’s wait alone: for information)'),
    ratioLine(results, 'callplane-pg', 'bare-srf-commit', '(the same wait, plus the database and the product: for information)'),
    ratioLine(results, 'callplane-pg-sha256', 'kamailio', '(product default digest: for information)', (x) => x > 1),
    ratioLine(results, 'callplane-pglite', 'kamailio', '(PGlite: for information)', (x) => x > 1),
    ratioLine(results, 'callplane-pglite', 'bare-srf', '(PGlite: for information)', (x) => x >= 0.75),
  ].filter(Boolean);
  return rows.length ? ['| ratio | value | target | |', '| --- | --- | --- | --- |', ...rows] : [];
}

function stepRows(r: TargetResult): string[] {
  const all = [...(r.warmup ? [{ ...r.warmup, warm: true }] : []), ...r.steps.map((s) => ({ ...s, warm: false }))];
  return all.map((s) => {
    const cpu = [...s.cpu.map((c) => `${c.label} ${pct(c.percent)}`), `sipp ${pct(s.sippPercent)}`].join(', ');
    const waited = s.waited.map((w) => `${w.label} ${pct(w.percent)}`).join(', ');
    const { registration } = s.probe;
    const sipp = s.stats.rtt.registration;
    return (
      `| ${r.title} | ${s.warm ? `warm-up ${s.rate}` : s.rate} | ${s.stats.achievedRate.toFixed(0)} | ${s.stats.successful}/${s.calls} | ${s.stats.failed} | ${s.stats.retransmissions} | ` +
      `${ms(registration.p50)} / ${ms(registration.p99)} / ${ms(registration.max)} (${s.probe.samples}${s.probe.lost ? `, ${s.probe.lost} lost` : ''}) | ` +
      `${coarse(sipp.p50)} / ${coarse(sipp.p99)} / ${coarse(sipp.max)} | ${cpu} | ${waited} | ${pct(s.othersPercent)} | ${s.warm ? 'warm-up' : s.clean ? 'clean' : `${s.why}${s.noisy ? ' (noisy: repeated)' : ''}`} |`
    );
  });
}

export function report(results: TargetResult[], facts: RunFacts): string {
  const lines = [
    `## Register benchmark — ${facts.date}, ${facts.machine}`,
    '',
    `${facts.users.toLocaleString('en')} users; steps of ${facts.stepSeconds} s; a rate is SIPp calls per second = registrations/s, each one REGISTER → 401 → REGISTER → 200 (2 requests). ` +
      'Clean = 0 failed calls, 0 retransmissions, every call completed, ≥ 95 % of the rate achieved. ' +
      'Response times from the driver\'s probe (µs clock); SIPp\'s own (-trace_rtt) tick in 4 ms here and are not trustworthy (see the step table). ' +
      'CPU in % of one core during the best clean step; "CPU ms per registration" = the target\'s processes (not SIPp) over the registrations they served; ' +
      '"other processes" = CPU used meanwhile by processes that are not part of the benchmark (the machine is shared). ' +
      '"Waited for a core" = the time a process\'s threads were ready to run but every core was taken (/proc schedstat), in % of the step: what the processes cost each other on this many cores.',
    '',
    `UDP: ${facts.udp}. Receive buffer of each target's SIP socket: ${results
      .filter((r) => r.udpReceiveBuffer !== undefined)
      .map((r) => `${r.title} ${r.udpReceiveBuffer!.toLocaleString('en')} bytes`)
      .join('; ') || 'not read'}.`,
    '',
    memoryNote(results),
    '',
    '| target | highest clean rate (registrations/s) | registration p50 / p99 (ms) | authenticated REGISTER → 200 p50 / p99 (ms) | CPU by process (% of one core) | CPU ms per registration | other processes | bindings before → after restart |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) => summaryRow(r, facts.users)),
    '',
    ...ratioTable(results),
    '',
    '### Every step',
    '',
    '| target | rate | achieved/s | completed | failed | retrans. | probe p50 / p99 / max, ms (samples) | SIPp -trace_rtt p50 / p99 / max, ms (unreliable here) | CPU by process | waited for a core | other processes | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.flatMap(stepRows),
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
  if (facts.profile) {
    lines.push('', `### callplane on PostgreSQL: where the node process's CPU went (${facts.profile.seconds.toFixed(0)} s profile, busy ${pct(facts.profile.busyPercent)})`, '');
    lines.push('| area | self % of busy |', '| --- | --- |', ...facts.profile.areas.map((h) => `| ${h.name} | ${h.selfPercent.toFixed(1)} |`));
    lines.push('', '| function | self % of busy |', '| --- | --- |', ...facts.profile.functions.map((h) => `| \`${h.name}\` | ${h.selfPercent.toFixed(1)} |`));
  }
  for (const r of results.filter((x) => x.statements)) {
    const { registrations, top } = r.statements!;
    lines.push('', `### ${r.title}: PostgreSQL statements (pg_stat_statements, ${registrations.toLocaleString('en')} registrations)`, '');
    lines.push('| statement | calls per registration | mean (ms) | total (s) |', '| --- | --- | --- | --- |');
    for (const st of top) {
      lines.push(`| \`${st.query.replace(/\|/g, '\\|')}\` | ${(st.calls / Math.max(1, registrations)).toFixed(2)} | ${st.meanMs.toFixed(3)} | ${(st.totalMs / 1000).toFixed(2)} |`);
    }
  }
  return lines.join('\n');
}

/** What the pool of recently freed memory was before each target (warm-memory.ts). */
function memoryNote(results: TargetResult[]): string {
  const warmed = results.filter((r) => r.warmed);
  if (!warmed.length) return 'Memory: not warmed before the targets (BENCH_WARM_MB=0, or the warming failed); a target whose processes grow onto pages the VM took back pays ~10 µs per page.';
  const times = warmed.map((r) => `${r.title} ${(r.warmed!.ms / 1000).toFixed(1)} s`);
  return `Memory: before each target ${warmed[0]!.warmed!.mb.toLocaleString('en')} MB were touched and freed, so that every target's processes grow onto recently freed pages (time to touch them: ${times.join('; ')}; slow = pages the VM had taken back).`;
}
