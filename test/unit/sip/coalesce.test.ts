// The SIP edge's writes to drachtio-server within one event-loop turn leave as
// one write (one syscall here, one read in drachtio-server), in order.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../../server/sip/coalesce.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function pair() {
  const received: Buffer[] = [];
  let arrived = () => undefined as void;
  const server = net.createServer((s) => s.on('data', (chunk: Buffer) => (received.push(chunk), arrived())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  client.setNoDelay(true);
  await new Promise((resolve) => client.once('connect', resolve));
  const text = () => Buffer.concat(received).toString();
  /** resolves once `length` characters have arrived */
  const received$ = (length: number) => new Promise<string>((resolve) => {
    arrived = () => void (text().length >= length && resolve(text()));
    arrived();
  });
  return { server, client, received: received$ };
}

describe('coalesceWrites', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('sends the messages written in one turn as one write, in order, and flushes by the next turn', async () => {
    const { server, client, received } = await pair();
    close = () => (client.destroy(), server.close());
    coalesceWrites(client);
    coalesceWrites(client); // twice is once
    const chunksPerWrite: number[] = [];
    const writev = client._writev!.bind(client);
    client._writev = (chunks, cb) => (chunksPerWrite.push(chunks.length), writev(chunks, cb));
    for (const m of ['a#1', 'b#2', 'c#3']) client.write(m);
    expect(client.writableCorked).toBe(1);
    await turn();
    expect(client.writableCorked).toBe(0);
    expect(chunksPerWrite).toEqual([3]);
    client.write('d#4');
    expect(await received(12)).toBe('a#1b#2c#3d#4');
  });
});
