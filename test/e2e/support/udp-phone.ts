// A minimal SIP phone over UDP for end-to-end tests: it registers with digest
// (MD5, computed here independently of the product's code), rings on INVITE,
// answers or not, and handles ACK, CANCEL and BYE. SIPp cannot register and then
// take a call on the same socket, which is what a desk phone does.
import crypto from 'node:crypto';
import dgram from 'node:dgram';

export interface SipMessage {
  start: string;
  headers: Map<string, string[]>;
  body: string;
}

export function parseMessage(text: string): SipMessage {
  const [head, ...rest] = text.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { start: lines[0]!, headers, body: rest.join('\r\n\r\n') };
}

export const header = (m: SipMessage, name: string) => m.headers.get(name.toLowerCase())?.[0] ?? '';
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');

const SDP = (ip: string, port: number) =>
  ['v=0', `o=phone 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');

export class UdpPhone {
  readonly invites: SipMessage[] = [];
  /** Date.now() of each INVITE received */
  readonly inviteTimes: number[] = [];
  readonly byes: SipMessage[] = [];
  readonly cancels: SipMessage[] = [];
  readonly notifies: SipMessage[] = [];
  private readonly socket = dgram.createSocket('udp4');
  private waiting = new Map<string, (m: SipMessage) => void>();
  private port = 0;

  constructor(
    private readonly opts: { ip: string; server: { host: string; port: number }; answer: boolean; ringMs?: number },
  ) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, this.opts.ip, resolve));
    this.port = this.socket.address().port;
    this.socket.on('message', (buf) => this.onMessage(parseMessage(buf.toString())));
  }

  close(): void {
    this.socket.close();
  }

  /** Registers `user`; answers one digest challenge. Resolves with the final status. */
  async register(user: string, realm: string, password: string, extra: { instance?: string; userAgent?: string } = {}): Promise<number> {
    const callId = crypto.randomUUID();
    const contact = `<sip:${user}@${this.opts.ip}:${this.port}>${extra.instance ? `;+sip.instance="<${extra.instance}>";reg-id=1` : ''}`;
    const build = (cseq: number, auth?: string) =>
      [
        `REGISTER sip:${realm} SIP/2.0`,
        `Via: SIP/2.0/UDP ${this.opts.ip}:${this.port};branch=z9hG4bK${crypto.randomBytes(6).toString('hex')};rport`,
        `From: <sip:${user}@${realm}>;tag=${crypto.randomBytes(4).toString('hex')}`,
        `To: <sip:${user}@${realm}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: ${contact}`,
        'Expires: 600',
        'Max-Forwards: 70',
        `User-Agent: ${extra.userAgent ?? 'callplane-test-phone'}`,
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const first = await this.request(callId, build(1));
    if (!first.start.includes(' 401 ')) return Number(first.start.split(' ')[1]);
    const challenge = first.headers.get('www-authenticate')!.find((c) => /algorithm=MD5/i.test(c))!;
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
    const uri = `sip:${realm}`;
    const ha1 = md5(`${user}:${realm}:${password}`);
    const response = md5(`${ha1}:${nonce}:00000001:abcdef:auth:${md5(`REGISTER:${uri}`)}`);
    const auth = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="abcdef"`;
    const second = await this.request(callId, build(2, auth));
    return Number(second.start.split(' ')[1]);
  }

  private request(callId: string, text: string): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), 5000);
      this.waiting.set(callId, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.socket.send(text, this.opts.server.port, this.opts.server.host);
    });
  }

  private onMessage(m: SipMessage): void {
    if (m.start.startsWith('SIP/2.0')) {
      if (/^SIP\/2\.0 1\d\d/.test(m.start)) return;
      const done = this.waiting.get(header(m, 'call-id'));
      this.waiting.delete(header(m, 'call-id'));
      return done?.(m);
    }
    const method = m.start.split(' ')[0];
    if (method === 'INVITE') return this.onInvite(m);
    if (method === 'CANCEL') {
      this.cancels.push(m);
      this.reply(m, '200 OK');
      return this.reply({ ...m, headers: new Map([...m.headers, ['cseq', [header(m, 'cseq').replace('CANCEL', 'INVITE')]]]) }, '487 Request Terminated');
    }
    if (method === 'BYE') this.byes.push(m);
    if (method === 'NOTIFY') this.notifies.push(m);
    if (method !== 'ACK') this.reply(m, '200 OK');
  }

  private onInvite(m: SipMessage): void {
    this.invites.push(m);
    this.inviteTimes.push(Date.now());
    this.reply(m, '180 Ringing');
    if (!this.opts.answer) return;
    setTimeout(() => this.reply(m, '200 OK', SDP(this.opts.ip, 40000)), this.opts.ringMs ?? 100);
  }

  private reply(m: SipMessage, status: string, body = ''): void {
    const to = header(m, 'to');
    replyTo(this.socket, m, status, { to: to.includes('tag=') ? to : `${to};tag=phone${this.port}`, contact: `<sip:phone@${this.opts.ip}:${this.port}>`, body });
  }

}

/** Answers a request over UDP where its top Via says (received / rport first), with the given To and Contact. */
export function replyTo(socket: dgram.Socket, m: SipMessage, statusLine: string, o: { to: string; contact: string; body?: string }): void {
  const body = o.body ?? '';
  const lines = [
    `SIP/2.0 ${statusLine}`,
    ...(m.headers.get('via') ?? []).map((v) => `Via: ${v}`),
    `From: ${header(m, 'from')}`,
    `To: ${o.to}`,
    `Call-ID: ${header(m, 'call-id')}`,
    `CSeq: ${header(m, 'cseq')}`,
    `Contact: ${o.contact}`,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  const via = header(m, 'via');
  const received = /received=([^;]+)/.exec(via)?.[1];
  const rport = /rport=(\d+)/.exec(via)?.[1];
  const sentBy = /SIP\/2\.0\/UDP ([^;:]+):?(\d+)?/.exec(via);
  socket.send(lines.join('\r\n'), Number(rport ?? sentBy?.[2] ?? 5060), received ?? sentBy?.[1] ?? '127.0.0.1');
}
