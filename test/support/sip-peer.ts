// A faithful stand-in for drachtio-server in tests that run without one: real
// SIP text parsed by drachtio-srf's own SipMessage, with the source address
// drachtio would attach, and a response recorder. The e2e suites use the real server.
import { createRequire } from 'node:module';
import type { SipRequest, SipResponse } from '../../server/sip/message.js';

const require = createRequire(import.meta.url);
const SipMessage = require('drachtio-srf/lib/sip-parser/message') as new (raw: string) => SipRequest;

export interface Sent {
  status: number;
  reason?: string | undefined;
  headers: Record<string, string>;
}

export function sipRequest(raw: string, source = { address: '127.0.0.1', port: 5062, protocol: 'udp' }): SipRequest {
  const text = raw.replace(/^\s+/gm, '').replace(/\n/g, '\r\n');
  const msg = new SipMessage(`${text}\r\n`);
  return Object.assign(msg, { source_address: source.address, source_port: source.port, protocol: source.protocol });
}

export function recorder(): SipResponse & { sent: Sent[]; last: () => Sent | undefined } {
  const sent: Sent[] = [];
  return {
    sent,
    last: () => sent.at(-1),
    send(status: number, a?: unknown, b?: unknown) {
      const reason = typeof a === 'string' ? a : undefined;
      const opts = (typeof a === 'object' ? a : b) as { headers?: Record<string, string> } | undefined;
      sent.push({ status, reason, headers: opts?.headers ?? {} });
    },
  };
}
