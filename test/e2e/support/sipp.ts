// Runs SIPp scenarios from test/e2e/scenarios against the SIP edge and reports
// how each ended: SIPp's exit code is 0 when every call passed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const scenarios = path.resolve(import.meta.dirname, '../scenarios');
export const sipTarget = process.env.DRACHTIO_SIP ?? '127.0.0.1:5060';

let nextPort = 25060 + (process.pid % 1000) * 10;

export interface SippRun {
  code: number | null;
  messages: string;
  errors: string;
}

/** Writes a SIPp injection file; each row is the fields of one call. */
export function csv(rows: string[][]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-sipp-')), 'users.csv');
  fs.writeFileSync(file, `SEQUENTIAL\n${rows.map((r) => r.join(';')).join('\n')}\n`);
  return file;
}

export const auth = (user: string, password: string) => `[authentication username=${user} password=${password}]`;

export function sipp(options: {
  scenario: string;
  inf?: string;
  transport?: 'u1' | 't1';
  calls?: number;
  rate?: number;
  source?: string;
  /** local port; a fresh one when absent */
  port?: number;
  keys?: Record<string, string>;
  timeoutSeconds?: number;
}): Promise<SippRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-sipp-run-'));
  const messages = path.join(dir, 'messages.log');
  const errors = path.join(dir, 'errors.log');
  const args = [
    sipTarget,
    '-sf', path.join(scenarios, options.scenario),
    ...(options.inf ? ['-inf', options.inf] : []),
    '-t', options.transport ?? 'u1',
    '-i', options.source ?? '127.0.0.1',
    '-p', String(options.port ?? nextPort++),
    '-m', String(options.calls ?? 1),
    '-r', String(options.rate ?? 10),
    '-nostdin',
    '-timeout', `${options.timeoutSeconds ?? 20}s`,
    '-timeout_error',
    '-trace_msg', '-message_file', messages,
    '-trace_err', '-error_file', errors,
    ...Object.entries(options.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
  ];
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { stdio: 'ignore' });
    child.on('exit', (code) => {
      const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
      resolve({ code, messages: read(messages), errors: read(errors) });
    });
  });
}

/** The SIP responses in a SIPp message log, first line and headers, in order. */
export function responses(log: string): { status: number; text: string }[] {
  return [...log.matchAll(/message received \[\d+\] bytes :\n\n(SIP\/2\.0 (\d{3})[^]*?)\n\n/g)].map((m) => ({ status: Number(m[2]), text: m[1]! }));
}

/** Resolves once something listens on UDP host:port (a SIPp UAS started in the background). */
export async function listening(host: string, port: number, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  const needle = `${host}:${port} `;
  while (Date.now() < deadline) {
    const table = fs.readFileSync('/proc/net/udp', 'utf8');
    const hex = `${host.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).reverse().join('').toUpperCase()}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
    if (table.includes(hex) || table.includes(needle)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on udp ${host}:${port}`);
}
