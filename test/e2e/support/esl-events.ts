// Watches FreeSWITCH events over its inbound event socket, for end-to-end
// tests that check what a caller heard (PLAYBACK_START names each prompt).
import net from 'node:net';

export type FsEvent = Map<string, string>;

export class EslEvents {
  readonly events: FsEvent[] = [];
  private readonly socket: net.Socket;
  private buffer = '';
  private subscribed!: Promise<void>;

  private constructor(names: string[]) {
    this.socket = net.connect(Number(process.env.FREESWITCH_ESL_PORT ?? 8021), process.env.FREESWITCH_ESL_HOST ?? '127.0.0.1');
    this.subscribed = new Promise((resolve, reject) => {
      let step = 0;
      this.socket.on('error', reject);
      this.socket.on('data', (d) => {
        this.buffer += d.toString('utf8');
        if (step === 0 && this.buffer.includes('auth/request')) {
          step = 1;
          this.buffer = '';
          this.socket.write(`auth ${process.env.FREESWITCH_ESL_PASSWORD ?? 'ClueCon'}\n\n`);
        } else if (step === 1 && this.buffer.includes('+OK accepted')) {
          step = 2;
          this.buffer = '';
          this.socket.write(`event plain ${names.join(' ')}\n\n`);
        } else if (step === 2 && this.buffer.includes('Reply-Text: +OK')) {
          step = 3;
          this.buffer = '';
          resolve();
        } else if (step === 3) this.drain();
      });
    });
  }

  /** Resolves once FreeSWITCH confirmed the subscription: events from then on are kept. */
  static async watch(...names: string[]): Promise<EslEvents> {
    const watcher = new EslEvents(names);
    await watcher.subscribed;
    return watcher;
  }

  /** The prompts played, in order, on channels where `where` holds (the silence between them left out). */
  played(where: (e: FsEvent) => boolean = () => true): string[] {
    return this.events
      .filter((e) => e.get('Event-Name') === 'PLAYBACK_START' && where(e))
      .map((e) => e.get('Playback-File-Path') ?? '')
      .filter((path) => !path.startsWith('silence_stream://'))
      .map((path) => path.replace(/^.*\//, ''));
  }

  close(): void {
    this.socket.destroy();
  }

  /** Frames are "Content-Length: n / Content-Type: text/event-plain", a blank line, then n bytes of URL-encoded headers. */
  private drain(): void {
    for (;;) {
      const head = /^Content-Length: (\d+)\nContent-Type: text\/event-plain\n\n/.exec(this.buffer);
      if (!head) {
        // not an event frame (a command reply): skip to the next frame
        const next = this.buffer.indexOf('Content-Length:', 1);
        if (!this.buffer.startsWith('Content-Length:') && next > 0) {
          this.buffer = this.buffer.slice(next);
          continue;
        }
        return;
      }
      const bodyBytes = Buffer.from(this.buffer.slice(head[0].length), 'utf8');
      const length = Number(head[1]);
      if (bodyBytes.length < length) return;
      const body = bodyBytes.subarray(0, length).toString('utf8');
      this.buffer = bodyBytes.subarray(length).toString('utf8');
      const event: FsEvent = new Map();
      for (const line of body.split('\n')) {
        const colon = line.indexOf(': ');
        if (colon > 0) event.set(line.slice(0, colon), decodeURIComponent(line.slice(colon + 2)));
      }
      this.events.push(event);
    }
  }
}
