// Response times with microsecond resolution. SIPp's clock here ticks in
// 4 ms steps (it reads a coarse monotonic clock), too coarse for a loopback
// registrar that answers in well under 4 ms, so while SIPp loads the target
// this probe registers some of the same users at a low rate from the driver,
// timing REGISTER → 401 → REGISTER → 200 with performance.now(). It takes its
// users in turn (each at most once a second at 100/s over 100 users), as real
// traffic spreads over users: one user registering 100 times a second would
// be a pathology no registrar sees, and a registrar that orders one user's
// REGISTERs (callplane's batches) would pay for it alone. Each Contact is the
// one SIPp sends for that user, so the probe adds no binding.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { expectedResponse, ha1, parseCredentials, parseDigestHeader } from '../../server/sip/digest.js';
import type { BenchUser } from './seed.js';

export interface ProbeResult {
  /** ms, first REGISTER → 200 */
  registration: number[];
  /** ms, authenticated REGISTER → 200 */
  answer: number[];
  /** registrations that got no 200 within PROBE_TIMEOUT_MS */
  lost: number;
}

interface Pending {
  user: BenchUser;
  started: number;
  answered?: number;
  timer: NodeJS.Timeout;
}

const PROBE_TIMEOUT_MS = 3000;

export class LatencyProbe {
  private readonly socket = dgram.createSocket('udp4');
  private readonly pending = new Map<string, Pending>();
  private readonly result: ProbeResult = { registration: [], answer: [], lost: 0 };
  private ticker: NodeJS.Timeout | undefined;
  private localPort = 0;
  private turn = 0;

  constructor(
    private readonly target: { host: string; port: number },
    /** registered in turn, one per probe registration */
    private readonly users: readonly BenchUser[],
    private readonly realm: string,
    /** the SIPp local port: each Contact is the one SIPp registers for its user */
    private readonly contactPort: number,
  ) {}

  async start(perSecond: number): Promise<void> {
    this.socket.on('message', (msg) => this.receive(msg.toString('utf8')));
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.localPort = this.socket.address().port;
    this.ticker = setInterval(() => this.register(), 1000 / perSecond);
  }

  async stop(): Promise<ProbeResult> {
    clearInterval(this.ticker);
    const until = Date.now() + PROBE_TIMEOUT_MS + 200;
    while (this.pending.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.result.lost += this.pending.size;
    this.pending.clear();
    this.socket.close();
    return this.result;
  }

  private register(): void {
    const callId = `${crypto.randomBytes(8).toString('hex')}@probe`;
    const timer = setTimeout(() => {
      if (this.pending.delete(callId)) this.result.lost += 1;
    }, PROBE_TIMEOUT_MS);
    const user = this.users[this.turn++ % this.users.length]!;
    this.pending.set(callId, { user, started: performance.now(), timer });
    this.send(callId, 1, user);
  }

  private send(callId: string, cseq: number, who: BenchUser, authorization?: string): void {
    const { user } = who;
    const text = [
      `REGISTER sip:${this.realm} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.localPort};branch=z9hG4bK${crypto.randomBytes(8).toString('hex')}`,
      `From: <sip:${user}@${this.realm}>;tag=${callId.slice(0, 8)}`,
      `To: <sip:${user}@${this.realm}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${user}@127.0.0.1:${this.contactPort};transport=UDP>`,
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'Max-Forwards: 70',
      'Expires: 3600',
      'User-Agent: callplane-bench probe',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.socket.send(text, this.target.port, this.target.host);
  }

  private receive(text: string): void {
    const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1]);
    const callId = /^Call-ID:\s*(\S+)/im.exec(text)?.[1];
    const pending = callId ? this.pending.get(callId) : undefined;
    if (!pending || !callId) return;
    if (status === 401 && pending.answered === undefined) {
      const challenge = /^WWW-Authenticate:\s*(.+)$/im.exec(text)?.[1]?.trim();
      const authorization = challenge && this.answer(challenge, pending.user);
      if (!authorization) return;
      pending.answered = performance.now();
      this.send(callId, 2, pending.user, authorization);
    } else if (status === 200 && pending.answered !== undefined) {
      const now = performance.now();
      this.result.registration.push(now - pending.started);
      this.result.answer.push(now - pending.answered);
      clearTimeout(pending.timer);
      this.pending.delete(callId);
    }
  }

  /** The Authorization header answering a digest challenge with qop=auth. */
  private answer(challenge: string, user: BenchUser): string | undefined {
    const p = parseDigestHeader(challenge);
    if (!p?.nonce || !p.realm) return undefined;
    const fields = {
      username: user.user,
      realm: p.realm,
      nonce: p.nonce,
      uri: `sip:${this.realm}`,
      algorithm: 'MD5',
      cnonce: crypto.randomBytes(8).toString('hex'),
      nc: '00000001',
      qop: 'auth',
      response: '0',
    };
    const header = (f: typeof fields) =>
      `Digest username="${f.username}", realm="${f.realm}", nonce="${f.nonce}", uri="${f.uri}", response="${f.response}", algorithm=${f.algorithm}, cnonce="${f.cnonce}", qop=${f.qop}, nc=${f.nc}`;
    const credentials = parseCredentials(header(fields));
    if (!credentials) return undefined;
    const response = expectedResponse(credentials, 'REGISTER', ha1('MD5', user.user, p.realm, user.password));
    return header({ ...fields, response });
  }
}
