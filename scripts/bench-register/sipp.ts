// One load step: SIPp sends REGISTER calls (challenge + answer) at a fixed
// rate for a fixed time; its statistics file gives successful and failed
// calls and retransmissions, its RTT file every response time (1 ms
// resolution). Also a one-shot SIP OPTIONS probe to wait until a target answers.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import type { Processes } from './processes.js';

export const SCENARIO = path.resolve(import.meta.dirname, 'register.xml');

export interface SippStats {
  successful: number;
  failed: number;
  retransmissions: number;
  /** calls per second SIPp achieved, over the whole run */
  achievedRate: number;
  elapsedSeconds: number;
  /** response times, ms: `registration` = first REGISTER → 200, `answer` = authenticated REGISTER → 200 */
  rtt: { registration: Percentiles; answer: Percentiles };
  exitCode: number | null;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface SippRun {
  target: string;
  csv: string;
  rate: number;
  calls: number;
  localPort: number;
  dir: string;
  /** most calls in progress at once (SIPp -l): a closed loop that paces itself to the target */
  limit?: number;
  /** SIPp gives up on the whole run after this */
  timeoutSeconds: number;
  /** called once SIPp has started, with its PID (for CPU sampling) */
  onStart?: (pid: number) => void;
}

export async function runSipp(processes: Processes, run: SippRun): Promise<SippStats> {
  fs.mkdirSync(run.dir, { recursive: true });
  const stat = path.join(run.dir, 'stat.csv');
  const args = [
    run.target,
    '-sf', SCENARIO,
    '-inf', run.csv,
    '-t', 'u1',
    '-i', '127.0.0.1',
    '-p', String(run.localPort),
    '-m', String(run.calls),
    '-r', String(run.rate),
    ...(run.limit ? ['-l', String(run.limit)] : []),
    '-rp', '1000',
    '-key', 'expires', '3600',
    '-nostdin',
    '-recv_timeout', '10000',
    '-timeout', `${run.timeoutSeconds}s`,
    '-buff_size', String(4 * 1024 * 1024),
    '-trace_stat', '-stf', stat, '-fd', '1',
    '-trace_rtt', '-rtt_freq', '1000',
    '-trace_err', '-error_file', path.join(run.dir, 'errors.log'),
  ];
  const sipp = processes.spawn('sipp', 'sipp', args, { cwd: run.dir, logFile: path.join(run.dir, 'sipp.out') });
  run.onStart?.(sipp.pid);
  const exitCode = await sipp.exited;
  await sipp.stop();
  return { ...readStats(stat), rtt: readRtt(run.dir), exitCode };
}

/** The cumulative counters of the last line of SIPp's `-trace_stat` file. */
function readStats(file: string): Omit<SippStats, 'rtt' | 'exitCode'> {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
  if (lines.length < 2) return { successful: 0, failed: 0, retransmissions: 0, achievedRate: 0, elapsedSeconds: 0 };
  const names = lines[0]!.split(';');
  const values = lines.at(-1)!.split(';');
  const get = (name: string) => values[names.indexOf(name)] ?? '';
  // StartTime / CurrentTime: "date<TAB>time<TAB>epoch-seconds"
  const epoch = (field: string) => Number(get(field).split('\t').at(-1));
  const elapsedSeconds = epoch('CurrentTime') - epoch('StartTime');
  const successful = Number(get('SuccessfulCall(C)'));
  return {
    successful,
    failed: Number(get('FailedCall(C)')),
    retransmissions: Number(get('Retransmissions(C)')),
    elapsedSeconds,
    achievedRate: elapsedSeconds > 0 ? successful / elapsedSeconds : 0,
  };
}

/** p50, p99 and max of ascending values. */
export function percentiles(sorted: number[]): Percentiles {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** Every response time of SIPp's `-trace_rtt` file(s): `Date_ms;response_time_ms;rtd_no`. */
function readRtt(dir: string): SippStats['rtt'] {
  const byRtd = new Map<string, number[]>([['1', []], ['2', []]]);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('_rtt.csv'))) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const [, ms, rtd] = line.split(';');
      if (rtd !== undefined && ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) byRtd.get(rtd.trim())?.push(Number(ms));
    }
  }
  const sorted = (rtd: string) => byRtd.get(rtd)!.sort((a, b) => a - b);
  return { registration: percentiles(sorted('1')), answer: percentiles(sorted('2')) };
}

/** Sends SIP OPTIONS to `host:port` over UDP until a 200 comes back; false at the deadline. */
export async function answersOptions(host: string, port: number, deadlineMs: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let ok = false;
  socket.on('message', (msg) => {
    if (/^SIP\/2\.0 200 /.test(msg.toString('utf8'))) ok = true;
  });
  const local = socket.address().port;
  const until = Date.now() + deadlineMs;
  try {
    while (!ok && Date.now() < until) {
      const id = crypto.randomBytes(8).toString('hex');
      const request = [
        `OPTIONS sip:probe@${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id};rport`,
        'Max-Forwards: 70',
        `From: <sip:bench@127.0.0.1>;tag=${id}`,
        `To: <sip:probe@${host}:${port}>`,
        `Call-ID: ${id}@bench`,
        'CSeq: 1 OPTIONS',
        'User-Agent: callplane-bench probe',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, host);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return ok;
  } finally {
    socket.close();
  }
}
