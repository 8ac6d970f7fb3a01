// A faithful stand-in for FreeSWITCH's event socket, for tests that run without
// FreeSWITCH. Everything it sends is taken from byte captures of a real
// FreeSWITCH 1.11 running our dialplans/ (test/fixtures/esl/): the CHANNEL_DATA
// reply, command replies, CHANNEL_EXECUTE / _COMPLETE / ANSWER / HANGUP events,
// disconnect notices, CHANNEL_HANGUP_COMPLETE. They are re-pointed at the test's
// channel and framed as mod_event_socket frames them: a header block ending in
// a blank line, Content-Length bodies, event-plain values url-encoded with
// switch_url_encode's rules. fakeOutboundCall is the channel FreeSWITCH hands to
// the controller's outbound socket; fakeEventSocket is the inbound :8021 the
// controller subscribes to for CDRs. test/e2e/switch-calls.test.ts runs the real one.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Headers in wire order; an event is its headers (values decoded). */
export type Headers = [name: string, value: string][];

/** One framed message: the header block's lines as sent, and the Content-Length body. */
export interface EslMessage {
  lines: string[];
  body: string;
}

export const header = (h: Headers, name: string): string | undefined =>
  h.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** Sets each header in place (a repeated one once); undefined removes it; a new one is appended. */
export function withHeaders(h: Headers, changes: Record<string, string | undefined>): Headers {
  const out: Headers = [];
  for (const [n, v] of h) {
    if (!Object.hasOwn(changes, n)) out.push([n, v]);
    else if (changes[n] !== undefined && !out.some(([m]) => m === n)) out.push([n, changes[n]]);
  }
  for (const [n, v] of Object.entries(changes)) if (v !== undefined && !out.some(([m]) => m === n)) out.push([n, v]);
  return out;
}

/** Replaces every header value equal to a key of `values` (an id, a uuid) by its new value. */
export const withValues = (h: Headers, values: Record<string, string>): Headers =>
  h.map(([n, v]) => [n, Object.hasOwn(values, v) ? values[v]! : v]);

// ---- the wire format

const headerPair = (line: string): [string, string] => {
  const at = line.indexOf(': ');
  return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 2)];
};

/** A message's header block as headers, values as on the wire (a command's first line has no value). */
export const messageHeaders = (m: EslMessage): Headers => m.lines.map(headerPair);

/** Splits a byte stream into messages; what is left is an incomplete message. */
export function parseMessages(buffer: Buffer): { messages: EslMessage[]; rest: Buffer } {
  const messages: EslMessage[] = [];
  let at = 0;
  for (;;) {
    const end = buffer.indexOf('\n\n', at);
    if (end < 0) break;
    const lines = buffer.toString('utf8', at, end).split('\n');
    const length = Number(lines.map(headerPair).find(([n]) => n === 'Content-Length')?.[1] ?? 0);
    if (end + 2 + length > buffer.length) break;
    messages.push({ lines, body: buffer.toString('utf8', end + 2, end + 2 + length) });
    at = end + 2 + length;
  }
  return { messages, rest: buffer.subarray(at) };
}

/** The bytes of a message; Content-Length, where the message has one, is the body's length in bytes. */
export function frame(m: EslMessage): Buffer {
  const lines = m.lines.map((l) => (l.startsWith('Content-Length: ') ? `Content-Length: ${Buffer.byteLength(m.body)}` : l));
  return Buffer.from(`${lines.join('\n')}\n\n${m.body}`);
}

const UNSAFE = new Set(Buffer.from('\r\n #%&+:;<=>?@[\\]^`{|}"'));
const isHex = (b: number | undefined) => b !== undefined && /[0-9A-Fa-f]/.test(String.fromCharCode(b));

/** switch_url_encode: unsafe and non-printable bytes as %XX; an existing %XX escape is left alone (no double encoding). */
export function urlEncode(value: string): string {
  const bytes = Buffer.from(value);
  let out = '';
  bytes.forEach((b, i) => {
    const escape = b !== 0x25 || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2]);
    out += escape && (b < 0x20 || b > 0x7e || UNSAFE.has(b)) ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  });
  return out;
}

export type EventFormat = 'plain' | 'json';

/** The headers of a text/event-plain or text/event-json message. */
export function eventOf(m: EslMessage): Headers {
  const type = header(m.lines.map(headerPair), 'Content-Type');
  if (type === 'text/event-json') return jsonPairs(m.body);
  if (type !== 'text/event-plain') throw new Error(`not an event: ${type}`);
  return m.body.split('\n\n')[0]!.split('\n').map(headerPair).map(([n, v]) => [n, decodeURIComponent(v)]);
}

const JSON_PAIR = /"((?:[^"\\]|\\.)*)":"((?:[^"\\]|\\.)*)"(,|\}$)/y;

/** FreeSWITCH's JSON events are flat string objects that may repeat a header (Hangup-Cause): kept, like in plain. */
function jsonPairs(body: string): Headers {
  JSON.parse(body); // valid JSON first
  if (body === '{}') return [];
  const pairs: Headers = [];
  JSON_PAIR.lastIndex = 1;
  for (;;) {
    const m = JSON_PAIR.exec(body);
    if (!m) throw new Error(`not a flat FreeSWITCH JSON event: ${body.slice(0, 80)}…`);
    pairs.push([JSON.parse(`"${m[1]}"`) as string, JSON.parse(`"${m[2]}"`) as string]);
    if (m[3] === '}') return pairs;
  }
}

/** An event as FreeSWITCH sends it to a listener that asked for `format`. */
export function eventMessage(event: Headers, format: EventFormat): EslMessage {
  const body =
    format === 'json'
      ? `{${event.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`).join(',')}}`
      : `${event.map(([n, v]) => `${n}: ${urlEncode(v)}\n`).join('')}\n`;
  return { lines: [`Content-Length: ${Buffer.byteLength(body)}`, `Content-Type: text/event-${format}`], body };
}

// ---- the recordings

const FROM_SWITCH = Buffer.from('>>> FS→controller\n');
const FROM_CONTROLLER = Buffer.from('<<< controller→FS\n');

export type Recording = 'outbound-extension-call' | 'outbound-rejected-call' | 'inbound-hangup-events';

/** A capture's two byte streams; an inbound capture holds FreeSWITCH's side only. */
export function recordedStreams(name: Recording): { fromSwitch: Buffer; fromController: Buffer } {
  const file = readFileSync(new URL(`../fixtures/esl/${name}.esl`, import.meta.url));
  const parts = { fromSwitch: [] as Buffer[], fromController: [] as Buffer[] };
  let side: keyof typeof parts | undefined = file.includes(FROM_SWITCH) ? undefined : 'fromSwitch';
  let at = 0;
  while (at < file.length) {
    const s = file.indexOf(FROM_SWITCH, at);
    const c = file.indexOf(FROM_CONTROLLER, at);
    const next = Math.min(s < 0 ? file.length : s, c < 0 ? file.length : c);
    if (side) parts[side].push(file.subarray(at, next));
    if (next === file.length) break;
    side = next === s ? 'fromSwitch' : 'fromController';
    at = next + (next === s ? FROM_SWITCH : FROM_CONTROLLER).length;
  }
  return { fromSwitch: Buffer.concat(parts.fromSwitch), fromController: Buffer.concat(parts.fromController) };
}

export function recorded(name: Recording): { fromSwitch: EslMessage[]; fromController: EslMessage[] } {
  const streams = recordedStreams(name);
  return { fromSwitch: parseMessages(streams.fromSwitch).messages, fromController: parseMessages(streams.fromController).messages };
}

const isEvent = (m: EslMessage) => m.lines.some((l) => l.startsWith('Content-Type: text/event-'));

/** Every event FreeSWITCH sent in a capture, in order. */
export const recordedEvents = (name: Recording): Headers[] => recorded(name).fromSwitch.filter(isEvent).map(eventOf);

/** The three CHANNEL_HANGUP_COMPLETE events of the inbound capture. */
export function recordedHangups(): { routedCall: Headers; bridgedLeg: Headers; rejectedCall: Headers } {
  const events = recordedEvents('inbound-hangup-events');
  const find = (test: (e: Headers) => boolean) => events.find(test)!;
  return {
    routedCall: find((e) => header(e, 'variable_callplane_call') === 'true'),
    bridgedLeg: find((e) => header(e, 'Call-Direction') === 'outbound'),
    rejectedCall: find((e) => header(e, 'Hangup-Cause') === 'UNALLOCATED_NUMBER'),
  };
}

const extensionCall = recorded('outbound-extension-call');
const rejectedCall = recorded('outbound-rejected-call');
const inbound = recorded('inbound-hangup-events');
const ALL = [...extensionCall.fromSwitch, ...rejectedCall.fromSwitch, ...inbound.fromSwitch];

/** The recorded command reply with this Reply-Text; an unrecorded one (-ERR …) is built the same way. */
function recordedReply(text: string): EslMessage {
  return ALL.find((m) => m.lines.includes(`Reply-Text: ${text}`)) ?? { lines: ['Content-Type: command/reply', `Reply-Text: ${text}`], body: '' };
}
const notice = (disposition: 'linger' | 'disconnect') => ALL.find((m) => m.lines.includes(`Content-Disposition: ${disposition}`))!;
const AUTH_REQUEST = ALL.find((m) => m.lines.includes('Content-Type: auth/request'))!;

/** A recorded event (or CHANNEL_DATA) with the values that tie it to its recorded call, to re-point it at another. */
interface Template {
  headers: Headers;
  uuid: string;
  dialed: string;
  caller: { name: string; number: string };
}
const template = (headers: Headers): Template => ({
  headers,
  uuid: header(headers, 'Unique-ID')!,
  dialed: header(headers, 'Caller-Destination-Number')!,
  caller: { name: header(headers, 'Caller-Caller-ID-Name')!, number: header(headers, 'Caller-Caller-ID-Number')! },
});
const recordedEvent = (source: typeof extensionCall, name: string, drop = (_: string) => false) =>
  template(source.fromSwitch.filter(isEvent).map(eventOf).find((e) => header(e, 'Event-Name') === name)!.filter(([n]) => !drop(n)));
const TEMPLATES = {
  channelData: template(extensionCall.fromSwitch[0]!.lines.map(headerPair).map(([n, v]) => [n, decodeURIComponent(v)])),
  execute: recordedEvent(extensionCall, 'CHANNEL_EXECUTE'),
  complete: recordedEvent(extensionCall, 'CHANNEL_EXECUTE_COMPLETE'),
  // recorded when the bridge answered it; a channel answered by the controller has no other leg
  answer: recordedEvent(extensionCall, 'CHANNEL_ANSWER', (n) => n.startsWith('Other-')),
  hangup: recordedEvent(rejectedCall, 'CHANNEL_HANGUP'),
};

// ---- sockets

/** Reads framed messages off a socket: each command line with its headers and body. */
function onMessages(socket: net.Socket, handle: (m: EslMessage) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (data: Buffer) => {
    const { messages, rest } = parseMessages(Buffer.concat([pending, data]));
    pending = rest;
    for (const m of messages) handle(m);
  });
}

const within = <T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what()} not seen within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/** Waits for a condition that an event re-checks; a deadline turns a stall into a readable failure. */
class Waiters {
  private readonly pending = new Set<() => boolean>();
  until(ready: () => boolean, ms: number, what: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    let check = () => false;
    const seen = new Promise<void>((resolve) => {
      check = () => (ready() ? (resolve(), true) : false);
      this.pending.add(check);
    });
    return within(seen, ms, what).finally(() => this.pending.delete(check));
  }
  changed(): void {
    for (const check of this.pending) if (check()) this.pending.delete(check);
  }
}

const writeTo = (socket: net.Socket, m: EslMessage) => {
  if (socket.writable) socket.write(frame(m));
};

// ---- an outbound-socket call: FreeSWITCH connecting to the controller

export interface CallSetup {
  /** the channel's Unique-ID; a new one when absent */
  uuid?: string;
  /** what the caller dialed: Caller-Destination-Number and the request URI's user */
  dialed: string;
  /** the X-Callplane-* headers the SIP edge put on the INVITE, by name after the prefix; the recorded ones are dropped */
  callplane: Record<string, string>;
  /** the caller ID the channel arrived with; the recorded one when absent */
  caller?: { name: string; number: string };
  /** what each play_and_get_digits collects, in order; '' — and anything past the list — is a timeout */
  digits?: string[];
  /**
   * How each bridge ends, in order, by its originate_disposition: SUCCESS (answered; with hangup_after_bridge the
   * caller's channel hangs up when the callee does, as recorded), NO_ANSWER, USER_BUSY…, or RINGING: rings until
   * the test hangs up. Past the list: SUCCESS.
   */
  bridges?: string[];
}

export interface FakeCall {
  readonly uuid: string;
  /** every application the controller executed, in order */
  readonly executed: [app: string, arg: string][];
  /** every variable the controller set verbatim (uuid_setvar), in order */
  readonly verbatim: [name: string, value: string][];
  /** the first line of every command the controller sent: connect, myevents, linger, sendmsg <uuid>, exit… */
  readonly commands: string[];
  /** the first execution of `app`, waited for up to a deadline */
  executing(app: string, ms?: number): Promise<[string, string]>;
  /** the caller hangs up: CHANNEL_HANGUP, the end of a running application, the disconnect notice */
  hangup(cause?: string): void;
  /** resolves once the controller closed the session (exit, socket closed); rejects after a deadline */
  ended(ms?: number): Promise<void>;
}

/** What FreeSWITCH does for each dialplan application, as far as the controller can see. */
const APPLICATIONS: Record<string, (call: Channel, arg: string) => void> = {
  // `set x=` unsets x, which is why the recorded hangup carries no callplane_trunk.
  set: (call, arg) => {
    const at = arg.indexOf('=');
    call.complete(at > 0 ? { [arg.slice(0, at)]: arg.slice(at + 1) || undefined } : {});
  },
  answer: (call) => {
    call.answer();
    call.complete();
  },
  // A final response refuses an unanswered call and hangs it up (recorded: 404 → UNALLOCATED_NUMBER); an answered
  // call can no longer get one, so mod_sofia sends nothing and the channel stays up.
  respond: (call, arg) => {
    const code = Number.parseInt(arg, 10) || 488;
    if (code >= 300 && !call.answered) call.end(SIP_CAUSES[code] ?? 'CALL_REJECTED');
    else call.complete();
  },
  hangup: (call, arg) => call.end(arg || 'NORMAL_CLEARING'),
  bridge: (call) => {
    const disposition = call.nextBridge();
    if (disposition === 'RINGING') return;
    if (disposition === 'SUCCESS') {
      call.answer();
      call.set({ originate_disposition: 'SUCCESS', DIALSTATUS: 'SUCCESS' });
      // The callee hangs up; the recording shows CHANNEL_HANGUP and the linger notice, no completion of the bridge.
      if (call.variable('hangup_after_bridge') === 'true') call.end('NORMAL_CLEARING', { completeRunning: false });
      else call.complete();
      return;
    }
    call.set({ originate_disposition: disposition, originate_failed_cause: disposition });
    // mod_dptools hangs the caller up after a failed bridge unless continue_on_fail says otherwise.
    if (call.variable('continue_on_fail') === 'true') call.complete();
    else call.end(disposition);
  },
  // <min> <max> <tries> <timeout> <terminators> <file> <invalid file> <variable> <regexp> <digit timeout>
  play_and_get_digits: (call, arg) => {
    const [, max = '128', , , , , , variable = 'read_result', regexp = ''] = arg.split(' ');
    const pressed = call.nextDigits();
    const valid = pressed !== '' && pressed.length <= Number(max) && new RegExp(regexp).test(pressed);
    call.complete({ [variable]: valid ? pressed : undefined, read_result: valid ? 'success' : pressed ? 'failure' : 'timeout' });
  },
  // The caller stays in the conference until they hang up.
  conference: () => {},
};

/** sofia_glue_sip_cause_to_freeswitch, for the statuses the controller sends. */
const SIP_CAUSES: Record<number, string> = {
  402: 'CALL_REJECTED',
  403: 'CALL_REJECTED',
  404: 'UNALLOCATED_NUMBER',
  480: 'NO_USER_RESPONSE',
  482: 'EXCHANGE_ROUTING_ERROR',
  484: 'INVALID_NUMBER_FORMAT',
  486: 'USER_BUSY',
  503: 'NORMAL_TEMPORARY_FAILURE',
};

class Channel implements FakeCall {
  readonly uuid: string;
  readonly executed: [string, string][] = [];
  readonly verbatim: [string, string][] = [];
  readonly commands: string[] = [];
  answered = false;
  private hungUp = false;
  private closed = false;
  private format: EventFormat = 'plain';
  private readonly subscriptions = new Set<string>();
  private myevents = false;
  private lingering = false;
  private readonly variables = new Map<string, string>();
  private readonly data: Headers;
  /** the application FreeSWITCH is running: its CHANNEL_EXECUTE headers, and what lets the next one start */
  private running: { application: Record<string, string>; done: () => void } | undefined;
  private queue = Promise.resolve();
  private readonly waiters = new Waiters();

  constructor(
    private readonly socket: net.Socket,
    private readonly setup: CallSetup,
  ) {
    this.uuid = setup.uuid ?? randomUUID();
    this.data = this.channelData();
    for (const [n, v] of this.data) if (n.startsWith('variable_')) this.variables.set(n.slice('variable_'.length), v);
    socket.setNoDelay(true); // as mod_event_socket's listener does
    socket.on('error', () => {}); // the controller may reset the connection; `ended` reports what matters
    socket.on('close', () => {
      this.closed = true;
      this.waiters.changed();
    });
    onMessages(socket, (m) => this.onCommand(m));
  }

  executing(app: string, ms = 10_000): Promise<[string, string]> {
    const found = () => this.executed.find(([a]) => a === app);
    return this.waiters.until(() => !!found(), ms, () => `${app} (executed so far: ${JSON.stringify(this.executed)})`).then(() => found()!);
  }

  ended(ms = 10_000): Promise<void> {
    return this.waiters.until(() => this.closed, ms, () => `the end of the session (executed: ${JSON.stringify(this.executed)})`);
  }

  hangup(cause = 'NORMAL_CLEARING'): void {
    if (this.running?.application.Application === 'bridge') this.set({ originate_disposition: 'ORIGINATOR_CANCEL' });
    this.end(cause);
  }

  variable(name: string): string | undefined {
    return this.variables.get(name);
  }

  set(variables: Record<string, string | undefined>): void {
    for (const [n, v] of Object.entries(variables)) {
      if (v === undefined) this.variables.delete(n);
      else this.variables.set(n, v);
    }
  }

  nextDigits(): string {
    return this.setup.digits?.shift() ?? '';
  }

  nextBridge(): string {
    return this.setup.bridges?.shift() ?? 'SUCCESS';
  }

  answer(): void {
    this.answered = true;
    this.set({ answer_epoch: String(Math.floor(Date.now() / 1000)) });
    this.emit(TEMPLATES.answer, {});
  }

  /** The running application finished: CHANNEL_EXECUTE_COMPLETE with the controller's Event-UUID. */
  complete(variables: Record<string, string | undefined> = {}): void {
    this.set(variables);
    const running = this.running;
    this.running = undefined;
    if (running) this.emit(TEMPLATES.complete, { ...running.application, 'Application-Response': '_none_' });
    running?.done();
  }

  /** The channel hangs up: CHANNEL_HANGUP, the running application returns, then the disconnect notice. */
  end(cause: string, { completeRunning = true } = {}): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.set({ hangup_cause: cause });
    this.emit(TEMPLATES.hangup, { 'Hangup-Cause': cause });
    if (completeRunning) this.complete();
    this.running?.done();
    this.running = undefined;
    if (this.lingering) this.write(this.local(notice('linger')));
    else this.close();
  }

  private onCommand(m: EslMessage): void {
    const [line = '', ...rest] = m.lines;
    this.commands.push(line);
    const [verb = '', ...args] = line.split(' ');
    const handlers: Record<string, () => void> = {
      connect: () => this.write({ lines: this.data.map(([n, v]) => `${n}: ${urlEncode(v)}`), body: '' }),
      event: () => {
        this.format = args[0] === 'json' ? 'json' : 'plain';
        for (const name of args.slice(1)) this.subscriptions.add(name);
        this.write(recordedReply(`+OK event listener enabled ${this.format}`));
      },
      myevents: () => {
        this.myevents = true;
        this.write(recordedReply('+OK Events Enabled'));
      },
      linger: () => {
        this.lingering = true;
        this.write(recordedReply('+OK will linger'));
      },
      sendmsg: () => this.sendmsg(args[0], rest.map(headerPair)),
      // the only API the controller runs on its call: uuid_setvar <uuid> <name> <value…> (value as given, never expanded)
      api: () => {
        const [api, uuid, name = '', ...value] = args;
        const ok = api === 'uuid_setvar' && uuid === this.uuid;
        if (ok) {
          this.verbatim.push([name, value.join(' ')]);
          this.set({ [name]: value.join(' ') });
        }
        const body = ok ? '+OK\n' : '-ERR No such channel!\n';
        this.write({ lines: ['Content-Type: api/response', `Content-Length: ${Buffer.byteLength(body)}`], body });
      },
      exit: () => {
        this.write(recordedReply('+OK bye'));
        this.close();
      },
    };
    (handlers[verb] ?? (() => this.write(recordedReply('-ERR command not found'))))();
    this.waiters.changed();
  }

  private sendmsg(uuid: string | undefined, headers: Headers): void {
    if (uuid && uuid !== this.uuid) return this.write(recordedReply(`-ERR invalid session id [${uuid}]`));
    this.write(recordedReply('+OK'));
    if (header(headers, 'call-command') !== 'execute') return;
    const app = header(headers, 'execute-app-name') ?? '';
    const arg = header(headers, 'execute-app-arg') ?? '';
    this.executed.push([app, arg]);
    // Queued on a channel that is hanging up, an application never runs.
    if (this.hungUp) return;
    const application = { Application: app, 'Application-Data': arg, 'Application-UUID': header(headers, 'Event-UUID') ?? randomUUID() };
    this.queue = this.queue.then(() => this.run(application));
  }

  /** FreeSWITCH runs an application after replying, on the channel's own thread: the next once this one returned. */
  private async run(application: Record<string, string>): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.hungUp) return;
    const app = application.Application!;
    this.set({ current_application: app, current_application_data: application['Application-Data'] });
    await new Promise<void>((done) => {
      this.running = { application, done };
      this.emit(TEMPLATES.execute, application);
      (APPLICATIONS[app] ?? ((call: Channel) => call.complete()))(this, application['Application-Data']!);
    });
  }

  private close(): void {
    this.write(this.local(notice('disconnect')));
    this.socket.end();
  }

  /** The recorded CHANNEL_DATA, re-pointed: this uuid, dialed number, caller, and the edge's X-Callplane-* headers. */
  private channelData(): Headers {
    const prefix = 'variable_sip_h_X-Callplane-';
    const recorded = this.repointed(TEMPLATES.channelData);
    const at = recorded.findIndex(([n]) => n.startsWith(prefix));
    const rest = recorded.filter(([n]) => !n.startsWith(prefix));
    const own: Headers = Object.entries(this.setup.callplane).map(([n, v]) => [`${prefix}${n}`, v]);
    return [...rest.slice(0, at), ...own, ...rest.slice(at)];
  }

  private repointed(t: Template): Headers {
    const { dialed, caller } = this.setup;
    const values: Record<string, string> = { [t.uuid]: this.uuid, [t.dialed]: dialed };
    if (caller) Object.assign(values, { [t.caller.name]: caller.name, [t.caller.number]: caller.number });
    const uri = new RegExp(`(^|sip:)${t.dialed}@`);
    return withValues(t.headers, values).map(([n, v]) => [n, v.replace(uri, `$1${dialed}@`)]);
  }

  private local(m: EslMessage): EslMessage {
    const session = 'Controlled-Session-UUID: ';
    return { ...m, lines: m.lines.map((l) => (l.startsWith(session) ? `${session}${this.uuid}` : l)) };
  }

  /** A recorded event for this channel: its headers re-pointed, its channel variables as they are now. */
  private emit(template: Template, changes: Record<string, string>): void {
    const name = header(template.headers, 'Event-Name')!;
    if (!this.myevents && !this.subscriptions.has(name) && !this.subscriptions.has('ALL')) return;
    const variables: Headers = [...this.variables].map(([n, v]) => [`variable_${n}`, v]);
    const event: Headers = [];
    for (const [n, v] of this.repointed(template)) {
      if (!n.startsWith('variable_')) event.push([n, v]);
      else event.push(...variables.splice(0));
    }
    const state = this.hungUp ? 'hangup' : this.answered ? 'answered' : 'ringing';
    this.write(eventMessage(withHeaders([...event, ...variables], { 'Answer-State': state, ...changes }), this.format));
  }

  private write(m: EslMessage): void {
    writeTo(this.socket, m);
  }
}

/** Connects to the controller's outbound-socket server as FreeSWITCH does for a call that reaches `socket … async full`. */
export async function fakeOutboundCall(controller: { host: string; port: number }, setup: CallSetup): Promise<FakeCall> {
  const socket = net.connect(controller.port, controller.host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new Channel(socket, { ...setup, digits: [...(setup.digits ?? [])], bridges: [...(setup.bridges ?? [])] });
}

// ---- the inbound event socket: FreeSWITCH's :8021

export interface FakeEventSocket {
  readonly port: number;
  /** passwords the socket refused */
  readonly refused: string[];
  /** waits, up to a deadline, until an authenticated connection subscribed to `eventName` */
  subscribed(eventName: string, ms?: number): Promise<void>;
  /** sends the event to every connection subscribed to it, in the format each asked for; returns how many got it */
  push(event: Headers): number;
  /** FreeSWITCH going away: drops every connection and stops listening */
  close(): Promise<void>;
  /** mod_hash's entries (realm_key → value), kept across close() and a new socket given the same map */
  readonly hash: Map<string, string>;
  /** every `api` command a connection ran, in order */
  readonly apis: string[];
}

interface Listener {
  socket: net.Socket;
  authenticated: boolean;
  format: EventFormat;
  events: Set<string>;
}

/**
 * mod_hash's APIs as FreeSWITCH runs them (mod_hash.c): `hash insert/realm/key/value`
 * (the value may hold '/'), `hash select/realm/key`, `hash delete/realm/key`
 * (`-ERR Not found` when absent), and `hash_dump db <realm>`: a line
 * `D/<realm>_<key>/<value>` per entry.
 */
function hashApi(hash: Map<string, string>, api: string, arg: string): string {
  if (api === 'hash_dump') {
    const [scope, realm = ''] = arg.split(' ');
    if (scope !== 'db') return '';
    return [...hash].filter(([k]) => k.includes(`${realm}_`)).map(([k, v]) => `D/${k}/${v}\n`).join('');
  }
  const [verb = '', realm = '', key = '', ...rest] = arg.split('/');
  const id = `${realm}_${key}`;
  if (verb === 'insert') return hash.set(id, rest.join('/')), '+OK\n';
  if (verb === 'select') return hash.get(id) ?? '';
  if (verb === 'delete') return hash.delete(id) ? '+OK\n' : '-ERR Not found\n';
  return '-ERR Usage\n';
}

/**
 * What FreeSWITCH keeps for an api_reporting_hook the controller set (verbatim,
 * with uuid_setvar) when the call hangs up: `${name}` reads the channel variable
 * or event header of that name, `${url_encode(${name})}` its URL-encoded value;
 * then the hook's API runs.
 */
export function reportingHookRuns(hook: string, hangup: Headers, hash: Map<string, string>): void {
  // a channel variable, else an event header (FreeSWITCH looks both up by name, case-insensitively)
  const variable = (name: string) =>
    header(hangup, `variable_${name}`) ?? hangup.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? '';
  const expanded = hook
    .replace(/\$\{url_encode\(\$\{([\w-]+)\}\)\}/g, (_m, name: string) => urlEncode(variable(name)))
    .replace(/\$\{([\w-]+)\}/g, (_m, name: string) => variable(name));
  const [api = '', ...arg] = expanded.split(' ');
  hashApi(hash, api, arg.join(' '));
}

export async function fakeEventSocket(port = 0, password = 'ClueCon', hash = new Map<string, string>()): Promise<FakeEventSocket> {
  const apis: string[] = [];
  const listeners = new Set<Listener>();
  const refused: string[] = [];
  const waiters = new Waiters();
  const bye = { ...notice('disconnect'), lines: notice('disconnect').lines.filter((l) => !l.startsWith('Controlled-Session-UUID')) };
  const command = (l: Listener, m: EslMessage) => {
    const [verb = '', ...args] = (m.lines[0] ?? '').split(' ');
    if (verb === 'auth') {
      l.authenticated = args.join(' ') === password;
      if (l.authenticated) return writeTo(l.socket, recordedReply('+OK accepted'));
      refused.push(args.join(' '));
      writeTo(l.socket, recordedReply('-ERR invalid'));
      return void l.socket.end();
    }
    if (!l.authenticated) return writeTo(l.socket, recordedReply('-ERR invalid'));
    if (verb === 'event') {
      l.format = args[0] === 'json' ? 'json' : 'plain';
      for (const name of args.slice(1)) l.events.add(name);
      writeTo(l.socket, recordedReply(`+OK event listener enabled ${l.format}`));
      return waiters.changed();
    }
    if (verb === 'api') {
      apis.push(args.join(' ').trim());
      const [api = '', ...rest] = args;
      const body = api === 'hash' || api === 'hash_dump' ? hashApi(hash, api, rest.join(' ').trim()) : '-ERR Command not found!\n';
      return writeTo(l.socket, { lines: ['Content-Type: api/response', `Content-Length: ${Buffer.byteLength(body)}`], body });
    }
    if (verb === 'exit') {
      writeTo(l.socket, recordedReply('+OK bye'));
      writeTo(l.socket, bye);
      return void l.socket.end();
    }
    writeTo(l.socket, recordedReply('-ERR command not found'));
  };
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const l: Listener = { socket, authenticated: false, format: 'plain', events: new Set() };
    listeners.add(l);
    socket.on('error', () => {});
    socket.on('close', () => listeners.delete(l));
    writeTo(socket, AUTH_REQUEST);
    onMessages(socket, (m) => command(l, m));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const listening = (name: string) => [...listeners].filter((l) => l.authenticated && (l.events.has(name) || l.events.has('ALL')));
  return {
    port: (server.address() as net.AddressInfo).port,
    refused,
    hash,
    apis,
    subscribed: (name, ms = 10_000) => waiters.until(() => listening(name).length > 0, ms, () => `a subscription to ${name}`),
    push: (event) => {
      const targets = listening(header(event, 'Event-Name') ?? '');
      for (const l of targets) writeTo(l.socket, eventMessage(event, l.format));
      return targets.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const l of listeners) l.socket.destroy();
      }),
  };
}
