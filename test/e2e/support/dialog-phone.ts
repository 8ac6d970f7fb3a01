// A desk phone over UDP for end-to-end tests of in-dialog features: it
// registers, places calls (answering the edge's 407), takes calls (ringing,
// early media with 183 + SDP, answering), and sends whatever a phone sends
// inside a call — REFER (blind and attended transfer), re-INVITE and UPDATE
// (session-timer refreshes), BYE. Everything it receives is kept for the test
// to inspect. The digest is computed here, independently of the product.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { type SipMessage, header, parseMessage, replyTo } from './udp-phone.js';

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const tag = () => crypto.randomBytes(4).toString('hex');

/** One call as this phone sees it. */
export interface Call {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** the From and To as this phone writes them in requests it sends */
  local: string;
  remote: string;
  remoteTarget: string;
  cseq: number;
  /** provisional responses to our INVITE, in order */
  provisional: SipMessage[];
  /** the INVITE that created the call, when it came to us */
  invite?: SipMessage;
}

export interface DialogPhoneOptions {
  ip: string;
  server: { host: string; port: number };
  /** what to do with an incoming INVITE: ring then answer, or first send 183 with SDP (early media) */
  incoming?: 'answer' | 'early-media';
  ringMs?: number;
}

export class DialogPhone {
  readonly calls: Call[] = [];
  /** every request received, in order */
  readonly requests: SipMessage[] = [];
  private readonly socket = dgram.createSocket('udp4');
  private readonly waiting = new Map<string, { onFinal: (m: SipMessage) => void; onProvisional?: (m: SipMessage) => void }>();
  private readonly watchers: { match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }[] = [];
  private port = 0;

  constructor(private readonly opts: DialogPhoneOptions) {}

  get address(): string {
    return `${this.opts.ip}:${this.port}`;
  }

  sdp(version = 1, direction = 'sendrecv'): string {
    const ip = this.opts.ip;
    return ['v=0', `o=phone 7 ${version} IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', `m=audio ${this.port + 2000} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', `a=${direction}`, ''].join('\r\n');
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, this.opts.ip, resolve));
    this.port = this.socket.address().port;
    this.socket.on('message', (buf) => this.onMessage(parseMessage(buf.toString())));
  }

  close(): void {
    this.socket.close();
  }

  /** Resolves with the next received request `match` accepts (or one already received). */
  received(match: (m: SipMessage) => boolean, ms = 10_000): Promise<SipMessage> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.opts.ip}: expected request not received`)), ms);
      this.watchers.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  async register(user: string, realm: string, password: string): Promise<number> {
    const callId = crypto.randomUUID();
    const fromTag = tag();
    const build = (cseq: number, auth?: string) =>
      this.compose(`REGISTER sip:${realm} SIP/2.0`, [
        `From: <sip:${user}@${realm}>;tag=${fromTag}`, `To: <sip:${user}@${realm}>`, `Call-ID: ${callId}`, `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${user}@${this.address}>`, 'Expires: 600', ...(auth ? [`Authorization: ${auth}`] : []),
      ]);
    const first = await this.send(callId, build(1));
    if (status(first) !== 401) return status(first);
    const second = await this.send(callId, build(2, this.digest(first, 'www-authenticate', 'REGISTER', `sip:${realm}`, user, realm, password)));
    return status(second);
  }

  /** Calls `dialed` as `user`; resolves once answered (and ACKed), or rejects with the final status. */
  async call(dialed: string, user: string, realm: string, password: string, extra: string[] = []): Promise<Call> {
    const call: Call = {
      callId: crypto.randomUUID(), localTag: tag(), remoteTag: '', cseq: 1, provisional: [],
      local: `<sip:${user}@${realm}>`, remote: `<sip:${dialed}@${realm}>`, remoteTarget: `sip:${dialed}@${realm}`,
    };
    const invite = (auth: string[]) =>
      this.compose(`INVITE sip:${dialed}@${realm} SIP/2.0`, [
        `From: ${call.local};tag=${call.localTag}`, `To: ${call.remote}`, `Call-ID: ${call.callId}`, `CSeq: ${call.cseq} INVITE`,
        `Contact: <sip:${user}@${this.address}>`, ...extra, ...auth,
      ], this.sdp());
    let answer = await this.send(call.callId, invite([]), (p) => call.provisional.push(p));
    if (status(answer) === 407) {
      this.ackFailure(call, answer);
      call.cseq++;
      const auth = this.digest(answer, 'proxy-authenticate', 'INVITE', `sip:${dialed}@${realm}`, user, realm, password);
      answer = await this.send(call.callId, invite([`Proxy-Authorization: ${auth}`]), (p) => call.provisional.push(p), 30_000);
    }
    if (status(answer) !== 200) {
      this.ackFailure(call, answer);
      throw Object.assign(new Error(`call failed: ${answer.start}`), { status: status(answer) });
    }
    call.remoteTag = /tag=([^;>\s]+)/.exec(header(answer, 'to'))![1]!;
    call.remoteTarget = /<([^>]+)>/.exec(header(answer, 'contact'))![1]!;
    this.ack(call, call.cseq);
    this.calls.push(call);
    return call;
  }

  /** Sends a request inside `call`; resolves with the final response (a 2xx re-INVITE is ACKed). */
  async request(call: Call, method: string, headers: string[] = [], body?: string): Promise<SipMessage> {
    const cseq = ++call.cseq;
    const text = this.compose(`${method} ${call.remoteTarget} SIP/2.0`, [
      `From: ${call.local};tag=${call.localTag}`, `To: ${call.remote};tag=${call.remoteTag}`, `Call-ID: ${call.callId}`, `CSeq: ${cseq} ${method}`,
      `Contact: <sip:phone@${this.address}>`, ...headers,
    ], body);
    const answer = await this.send(`${call.callId}/${cseq}`, text);
    if (method === 'INVITE' && status(answer) < 300) this.ack(call, cseq);
    else if (method === 'INVITE') this.ackFailure(call, answer);
    return answer;
  }

  hangUp(call: Call): Promise<SipMessage> {
    return this.request(call, 'BYE');
  }

  private compose(start: string, headers: string[], body = ''): string {
    return [
      start,
      `Via: SIP/2.0/UDP ${this.address};branch=z9hG4bK${crypto.randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      'User-Agent: callplane-e2e dialog phone',
      ...headers,
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  }

  private digest(challenge: SipMessage, name: string, method: string, uri: string, user: string, realm: string, password: string): string {
    const value = challenge.headers.get(name)!.find((c) => /algorithm=MD5/i.test(c))!;
    const nonce = /nonce="([^"]+)"/.exec(value)![1]!;
    const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:00000001:abcdef:auth:${md5(`${method}:${uri}`)}`);
    return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="abcdef"`;
  }

  private ack(call: Call, cseq: number): void {
    this.transmit(this.compose(`ACK ${call.remoteTarget} SIP/2.0`, [
      `From: ${call.local};tag=${call.localTag}`, `To: ${call.remote};tag=${call.remoteTag}`, `Call-ID: ${call.callId}`, `CSeq: ${cseq} ACK`,
    ]));
  }

  /** The ACK of a non-2xx final response: same branch as the INVITE (RFC 3261 17.1.1.3). */
  private ackFailure(call: Call, answer: SipMessage): void {
    const cseq = header(answer, 'cseq').split(' ')[0];
    this.transmit([
      `ACK ${call.remoteTarget} SIP/2.0`, `Via: ${header(answer, 'via')}`, `From: ${header(answer, 'from')}`, `To: ${header(answer, 'to')}`,
      `Call-ID: ${call.callId}`, `CSeq: ${cseq} ACK`, 'Max-Forwards: 70', 'Content-Length: 0', '', '',
    ].join('\r\n'));
  }

  private send(key: string, text: string, onProvisional?: (m: SipMessage) => void, ms = 10_000): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${text.split(' ')[0]}`)), ms);
      this.waiting.set(key, { onFinal: (m) => (clearTimeout(timer), resolve(m)), ...(onProvisional ? { onProvisional } : {}) });
      this.transmit(text);
    });
  }

  private transmit(text: string): void {
    this.socket.send(text, this.opts.server.port, this.opts.server.host);
  }

  private onMessage(m: SipMessage): void {
    if (m.start.startsWith('SIP/2.0')) return this.onResponse(m);
    this.requests.push(m);
    for (const w of [...this.watchers]) {
      if (w.match(m)) {
        this.watchers.splice(this.watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
    const method = m.start.split(' ')[0];
    const inDialog = /tag=/.test(header(m, 'to'));
    if (method === 'ACK') return;
    if (method === 'INVITE' && !inDialog) return this.onInvite(m);
    if (method === 'INVITE') return this.reply(m, '200 OK', this.sdp(3));
    this.reply(m, '200 OK');
  }

  private onResponse(m: SipMessage): void {
    const [cseq, method] = header(m, 'cseq').split(' ');
    const callId = header(m, 'call-id');
    const key = this.waiting.has(`${callId}/${cseq}`) ? `${callId}/${cseq}` : callId;
    const waiter = this.waiting.get(key);
    if (!waiter || method === 'CANCEL') return;
    if (status(m) < 200) return waiter.onProvisional?.(m);
    this.waiting.delete(key);
    waiter.onFinal(m);
  }

  private onInvite(m: SipMessage): void {
    const call: Call = {
      callId: header(m, 'call-id'), localTag: tag(), remoteTag: /tag=([^;>\s]+)/.exec(header(m, 'from'))![1]!, cseq: 100, provisional: [],
      local: header(m, 'to'), remote: header(m, 'from').replace(/;tag=[^;]+/, ''), remoteTarget: /<([^>]+)>/.exec(header(m, 'contact'))![1]!, invite: m,
    };
    this.calls.push(call);
    const toTag = `${call.local};tag=${call.localTag}`;
    if (this.opts.incoming === 'early-media') this.reply(m, '183 Session Progress', this.sdp(), toTag);
    else this.reply(m, '180 Ringing', '', toTag);
    setTimeout(() => this.reply(m, '200 OK', this.sdp(), toTag), this.opts.ringMs ?? 100);
  }

  private reply(m: SipMessage, statusLine: string, body = '', to?: string): void {
    const theirs = header(m, 'to');
    replyTo(this.socket, m, statusLine, { to: to ?? (theirs.includes('tag=') ? theirs : `${theirs};tag=${tag()}`), contact: `<sip:phone@${this.address}>`, body });
  }

}

export const status = (m: SipMessage) => Number(m.start.split(' ')[1]);
