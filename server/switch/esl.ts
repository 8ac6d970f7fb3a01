// A typed view of modesl, the only file that imports it. FreeSWITCH hands
// every call to our outbound-socket server (`socket <host>:<port> async full`);
// a CallLeg runs dialplan applications on that channel and waits for each to
// finish. An inbound connection per FreeSWITCH receives events (hangups → CDRs).
import { EventEmitter } from 'node:events';
import esl from 'modesl';

interface EslEvent {
  getHeader(name: string): string | undefined;
  getBody(): string | undefined;
}

interface EslConnection extends EventEmitter {
  getInfo(): EslEvent;
  execute(app: string, arg: string, cb: (evt: EslEvent) => void): string;
  sendRecv(command: string, cb: (evt: EslEvent) => void): void;
  api(command: string, args: string[] | string, cb: (evt: EslEvent) => void): void;
  events(type: string, events: string, cb?: () => void): void;
  filter(header: string, value: string, cb?: () => void): void;
  disconnect(): void;
  connected(): boolean;
}

/** One channel handed to the controller. */
export class CallLeg {
  private hungUp = false;
  private answered = false;
  private readonly ended = new EventEmitter();

  constructor(private readonly conn: EslConnection) {
    // only this channel's events: a bridged leg answering is not this leg answering
    conn.on(`esl::event::CHANNEL_HANGUP::${this.uuid}`, () => this.markHungUp());
    conn.on(`esl::event::CHANNEL_ANSWER::${this.uuid}`, () => (this.answered = true));
    conn.on('esl::end', () => this.markHungUp());
    const answeredAtConnect = this.variable('answer_epoch');
    // modesl answers null for a missing header
    this.answered = !!answeredAtConnect && answeredAtConnect !== '0';
  }

  /** true once the channel is answered (then a refusal is a hangup, not a SIP response) */
  get isAnswered(): boolean {
    return this.answered;
  }

  get uuid(): string {
    return this.info('Unique-ID') ?? '';
  }

  /** A header of the channel data FreeSWITCH sent on connect (`variable_…` for channel variables). */
  info(name: string): string | undefined {
    return this.conn.getInfo().getHeader(name) ?? undefined;
  }

  variable(name: string): string | undefined {
    return this.info(`variable_${name}`);
  }

  get isHungUp(): boolean {
    return this.hungUp;
  }

  /** Runs a dialplan application and resolves with its completion event's headers. */
  execute(app: string, arg = ''): Promise<(name: string) => string | undefined> {
    if (this.hungUp) return Promise.resolve(() => undefined);
    return new Promise((resolve) => {
      const onEnd = () => resolve(() => undefined);
      this.ended.once('hangup', onEnd);
      this.conn.execute(app, arg, (evt) => {
        this.ended.off('hangup', onEnd);
        if (app === 'answer' || app === 'pre_answer') this.answered = this.answered || app === 'answer';
        resolve((name) => evt.getHeader(name));
      });
    });
  }

  /** Refuses the call the way its state allows: a SIP response before answer, a hangup after. */
  async refuse(sipStatus: number, cause: string): Promise<void> {
    if (this.answered) await this.hangup(cause);
    else await this.execute('respond', String(sipStatus));
  }

  async set(variables: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(variables)) await this.execute('set', `${name}=${value}`);
  }

  /**
   * Sets a channel variable exactly as given (`uuid_setvar`), where the `set`
   * application would expand `${…}` now: for values FreeSWITCH is to expand later.
   */
  setVerbatim(name: string, value: string): Promise<void> {
    if (this.hungUp) return Promise.resolve();
    return new Promise((resolve) => this.conn.api('uuid_setvar', [this.uuid, name, value], () => resolve()));
  }

  async hangup(cause: string): Promise<void> {
    await this.execute('hangup', cause);
  }

  close(): void {
    try {
      this.conn.disconnect();
    } catch {
      // already gone
    }
  }

  private markHungUp(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.ended.emit('hangup');
  }
}

export interface CallServer {
  close(): Promise<void>;
}

/** Listens for FreeSWITCH's outbound-socket connections; `onCall` owns each leg until it returns. */
export function listenForCalls(
  address: { host: string; port: number },
  onCall: (leg: CallLeg) => Promise<void>,
  onError: (error: unknown) => void,
): Promise<CallServer> {
  return new Promise((resolve, reject) => {
    const server = new esl.Server({ host: address.host, port: address.port, myevents: true }, () => {
      resolve({ close: () => new Promise<void>((done) => server.close(() => done())) });
    }) as EventEmitter & { close(cb: () => void): void; server: NodeJS.EventEmitter };
    server.server.once('error', reject);
    server.on('connection::open', (conn: EslConnection & { socket?: import('node:net').Socket }) => {
      // modesl writes each command in small pieces: without this, Nagle's
      // algorithm adds ~80 ms per command, about a second of post-dial delay
      conn.socket?.setNoDelay(true);
    });
    server.on('connection::ready', (conn: EslConnection) => {
      conn.on('error', onError);
      conn.sendRecv('linger', () => {
        const leg = new CallLeg(conn);
        onCall(leg)
          .catch(onError)
          .finally(() => leg.close());
      });
    });
  });
}

export interface EventStream {
  /** runs an API command on the connected FreeSWITCH: its reply, or undefined while disconnected */
  api(command: string): Promise<string | undefined>;
  close(): void;
}

/**
 * The inbound connection to one FreeSWITCH: authenticates, subscribes to
 * `events`, and reconnects with backoff (1 s doubling to 30 s) when it drops.
 */
export function subscribe(
  target: { host: string; port: number; password: string },
  events: string[],
  onEvent: (headers: (name: string) => string | undefined) => void,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
  /** after each (re)connect, once the events are subscribed */
  onConnect?: () => void,
): EventStream {
  let conn: EslConnection | undefined;
  let closed = false;
  let delay = 1000;
  let timer: NodeJS.Timeout | undefined;
  const connect = () => {
    const c = new esl.Connection(target.host, target.port, target.password, () => {
      delay = 1000;
      log.info({ host: target.host, port: target.port }, 'connected to FreeSWITCH event socket');
      c.events('plain', events.join(' '), () => onConnect?.());
    }) as EslConnection;
    conn = c;
    c.on('esl::event::**', (evt: EslEvent) => {
      if (evt.getHeader('Event-Name') && events.includes(evt.getHeader('Event-Name')!)) onEvent((n) => evt.getHeader(n));
    });
    const retry = () => {
      if (closed || timer) return;
      log.warn({ retryInMs: delay }, 'FreeSWITCH event socket lost; reconnecting');
      timer = setTimeout(() => {
        timer = undefined;
        connect();
      }, delay);
      timer.unref();
      delay = Math.min(delay * 2, 30_000);
    };
    c.on('error', retry);
    c.on('esl::end', retry);
  };
  connect();
  return {
    api: (command) =>
      new Promise((resolve) => {
        if (!conn?.connected()) return resolve(undefined);
        conn.api(command, [], (evt) => resolve(evt.getBody() ?? ''));
      }),
    close: () => {
      closed = true;
      clearTimeout(timer);
      try {
        conn?.disconnect();
      } catch {
        // already gone
      }
    },
  };
}
