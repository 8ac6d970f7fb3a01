// Coalesces the SIP edge's writes to drachtio-server: drachtio-srf writes every
// message with its own socket.write (and sets TCP_NODELAY), so a batch of 200
// REGISTER answers — or the 401s for every request in one read — cost one
// syscall each here and one wake-up and read each in drachtio-server. Corking
// the socket at the first write of an event-loop turn and uncorking it once
// the turn's I/O callbacks have run (setImmediate) sends them as one write.
// Nothing waits longer than the current turn; the order of messages is kept.
import type { Socket } from 'node:net';

type Write = Socket['write'];

const coalesced = new WeakSet<Socket>();

/** Makes every write on `socket` within one event-loop turn go out as one (idempotent per socket). */
export function coalesceWrites(socket: Socket): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  const write = socket.write.bind(socket) as (...a: unknown[]) => boolean;
  let corked = false;
  const flush = () => {
    corked = false;
    if (!socket.destroyed) socket.uncork();
  };
  socket.write = ((...args: Parameters<Write>) => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    return write(...args);
  }) as Write;
}
