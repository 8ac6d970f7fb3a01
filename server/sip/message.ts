// A typed view of the few parts of drachtio-srf's request and response objects
// the edge uses (its own typings are loose). Only server/sip imports drachtio-srf.
import type { Socket } from 'node:net';
import Srf from 'drachtio-srf';

export interface SipUri {
  user?: string | undefined;
  host?: string | undefined;
  port?: string | undefined;
  params: Record<string, string | null>;
}

export interface NameAddr {
  name?: string;
  uri: string;
  params: Record<string, string | null | undefined>;
}

export interface SipRequest {
  method: string;
  uri: string;
  callId: string;
  source_address: string;
  source_port: number | string;
  protocol: string;
  /** the connection to drachtio-server the request came over (absent in tests' fake requests) */
  socket?: Socket | undefined;
  get(name: string): string | undefined;
  /** drachtio-srf's parsed header table: lower-case full names (compact forms expanded) → raw values */
  headers?: Record<string, unknown>;
  has(name: string): boolean;
  getParsedHeader(name: string): unknown;
}

export interface SipResponse {
  send(status: number, opts?: { headers?: Record<string, string> }): void;
  send(status: number, reason: string, opts?: { headers?: Record<string, string>; body?: string }): void;
}

/**
 * A standard header's raw value, as `req.get(name)` gives it, read from the
 * message's header table. drachtio-srf stores every standard header under its
 * lower-case full name; `req.get` finds it through its name normalisation (an
 * environment-variable read, an unescape and a scan of every header) each
 * time, and a REGISTER reads a dozen headers. Not for X- / P- headers, which
 * drachtio-srf keeps as sent.
 */
export function header(req: SipRequest, name: Lowercase<string>): string | undefined {
  const value = req.headers?.[name];
  return typeof value === 'string' ? value : value === undefined && req.headers ? undefined : req.get(name);
}

export const parseUri = (uri: string): SipUri | undefined => {
  try {
    return Srf.parseUri(uri);
  } catch {
    return undefined;
  }
};

/** The Contact header as a list of name-addrs, `'*'` for the wildcard, or undefined when absent or malformed. */
export function contactsOf(req: SipRequest): NameAddr[] | '*' | undefined {
  const raw = header(req, 'contact');
  if (raw === undefined) return [];
  if (raw.trim() === '*') return '*';
  try {
    const contacts = req.getParsedHeader('Contact') as NameAddr[];
    const usable = Array.isArray(contacts) && contacts.every((c) => typeof c.uri === 'string' && parseUri(c.uri)?.host);
    return usable ? contacts : undefined;
  } catch {
    return undefined;
  }
}

export function nameAddr(req: SipRequest, header: 'To' | 'From'): NameAddr | undefined {
  try {
    return req.getParsedHeader(header) as NameAddr;
  } catch {
    return undefined;
  }
}

export { Srf };

/**
 * The transport the request came over, from its top Via: drachtio reports
 * WebSocket connections as `tcp`, the Via says `WS` / `WSS`.
 */
export function transportOf(req: SipRequest): string {
  const via = /^SIP\/2\.0\/([A-Za-z]+)/.exec((header(req, 'via') ?? '').trim());
  const fromVia = via?.[1]?.toLowerCase();
  return fromVia && ['udp', 'tcp', 'tls', 'ws', 'wss'].includes(fromVia) ? fromVia : req.protocol.toLowerCase();
}
