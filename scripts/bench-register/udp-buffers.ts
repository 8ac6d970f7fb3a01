// The kernel's default UDP receive buffer for the run. drachtio-server asks for
// a 4 MB buffer on its SIP socket (drachtio.sip.udp-buffer-size) but, through
// an upstream bug, never gets it: sofia-sip reads the setting only when it
// creates the socket, and drachtio-server passes it afterwards. So its socket
// keeps the kernel default (net.core.rmem_default, 208 KB here), ~20 ms of this
// load, and any pause of the process longer than that drops datagrams. The
// benchmark therefore sets the kernel default to what drachtio-server asks for,
// for every target alike (Kamailio and SIPp get it too), and puts the old value
// back when it ends. BENCH_UDP_RMEM=0 leaves the system as it is.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const DEFAULT = '/proc/sys/net/core/rmem_default';
const MAX = '/proc/sys/net/core/rmem_max';

const read = (file: string) => Number(fs.readFileSync(file, 'utf8').trim());

export interface UdpBuffers {
  /** how the run's sockets are sized, in words for the report */
  note: string;
  /** puts the system's values back (synchronous: safe in an exit handler) */
  restore(): void;
}

export function setUdpReceiveBuffers(bytes: number): UdpBuffers {
  const before = { default: read(DEFAULT), max: read(MAX) };
  const kept = `kernel default UDP receive buffer ${before.default.toLocaleString('en')} bytes (net.core.rmem_default, unchanged)`;
  if (bytes === 0 || bytes === before.default) return { note: kept, restore: () => undefined };
  try {
    if (bytes > before.max) fs.writeFileSync(MAX, String(bytes));
    fs.writeFileSync(DEFAULT, String(bytes));
  } catch (error) {
    return { note: `${kept}: could not set ${bytes} (${(error as Error).message})`, restore: () => undefined };
  }
  let restored = false;
  return {
    note:
      `net.core.rmem_default set to ${bytes.toLocaleString('en')} bytes for the run (was ${before.default.toLocaleString('en')}), for every target: ` +
      "the size drachtio-server's own udp-buffer-size asks for and, through an upstream bug, does not get",
    restore() {
      if (restored) return;
      restored = true;
      fs.writeFileSync(DEFAULT, String(before.default));
      if (bytes > before.max) fs.writeFileSync(MAX, String(before.max));
    },
  };
}

/** The receive buffer (bytes) of the UDP socket bound to 127.0.0.1:port, as `ss` reports it. */
export function receiveBufferOf(port: number): number | undefined {
  let text: string;
  try {
    text = execFileSync('ss', ['-uamn'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.split(/\s+/).includes(`127.0.0.1:${port}`));
  const skmem = at >= 0 ? /rb(\d+)/.exec(lines[at + 1] ?? '') : null;
  return skmem ? Number(skmem[1]) : undefined;
}
