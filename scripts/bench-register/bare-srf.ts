// The register benchmark's ceiling: a bare drachtio-srf app that does nothing
// but MD5 digest against an in-memory table of users and answers 200 — no
// database, no bindings, no abuse screening, no nonce-count bookkeeping (the
// nonce is random and not remembered). What callplane does on top of this is
// what the benchmark's "≥ 75 % of the ceiling" target prices.
// With BARE_ANSWER_EVERY_MS > 0 (the `bare-srf-commit` target) each 200 waits
// for the next tick of that period and goes out with every 200 that waited
// with it, the latency and the bursts of callplane's group commit
// (CALLPLANE_SIP_REGISTER_BATCH_MS) without its database: how much of the
// ceiling a durable write's wait costs by itself. 401s and 403s go at once.
// Run: BARE_USERS=users.csv DRACHTIO_PORT=9122 DRACHTIO_SECRET=… node --import tsx scripts/bench-register/bare-srf.ts
import crypto from 'node:crypto';
import fs from 'node:fs';
import Srf from 'drachtio-srf';
import { challenges, expectedResponse, ha1, parseCredentials, sameDigest } from '../../server/sip/digest.js';

interface Request {
  get(name: string): string | undefined;
}
interface Response {
  send(status: number, opts?: { headers?: Record<string, string> }): void;
}

/** user → password, from the SIPp CSV (`user;realm;[authentication username=u password=p]`). */
function usersFrom(file: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([^;]+);[^;]+;\[authentication username=\S+ password=([^\]\s]+)\]$/.exec(line.trim());
    if (m) users.set(m[1]!, m[2]!);
  }
  return users;
}

/** Answers held for the next tick of `everyMs`, all sent together then (as a group commit answers); 0: at once. */
function answerer(everyMs: number) {
  let waiting: (() => void)[] = [];
  const flush = () => {
    const due = waiting;
    waiting = [];
    for (const send of due) send();
  };
  return (send: () => void) => {
    if (everyMs <= 0) return send();
    if (!waiting.length) setTimeout(flush, everyMs);
    waiting.push(send);
  };
}

function register(users: Map<string, string>, answer: (send: () => void) => void) {
  return (req: Request, res: Response) => {
    const credentials = parseCredentials(req.get('Authorization'));
    if (!credentials) {
      const realm = /@([^>;]+)/.exec(req.get('To') ?? '')?.[1] ?? 'invalid';
      const nonce = crypto.randomBytes(16).toString('base64url');
      res.send(401, { headers: { 'WWW-Authenticate': challenges(realm, nonce, false, ['MD5'])[0]! } });
      return;
    }
    const password = users.get(credentials.username);
    const expected = password && expectedResponse(credentials, 'REGISTER', ha1('MD5', credentials.username, credentials.realm, password));
    if (!expected || !sameDigest(expected, credentials.response)) {
      res.send(403);
      return;
    }
    const contact = req.get('Contact');
    answer(() => res.send(200, { headers: { ...(contact ? { Contact: `${contact};expires=3600` } : {}), Expires: '3600' } }));
  };
}

const users = usersFrom(process.env.BARE_USERS ?? '');
const srf = new Srf();
const on = srf as unknown as Record<'register' | 'options', (handler: (req: Request, res: Response) => void) => void>;
on.register(register(users, answerer(Number(process.env.BARE_ANSWER_EVERY_MS ?? 0))));
on.options((_req, res) => res.send(200));
srf.on('connect', (err: Error | null, hostport: string) => {
  if (err) process.stderr.write(`bare-srf: connect error ${err.message}\n`);
  else process.stdout.write(`bare-srf: ${users.size} users, connected to drachtio-server ${hostport}\n`);
});
srf.on('error', (err: Error) => process.stderr.write(`bare-srf: ${err.message}\n`));
void srf.connect({ host: '127.0.0.1', port: Number(process.env.DRACHTIO_PORT ?? 9122), secret: process.env.DRACHTIO_SECRET ?? '' });
const stop = () => {
  srf.disconnect();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
