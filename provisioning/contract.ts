// The provisioning contract: one vendor-neutral description of a device (the
// "raw config"), and the small interface every vendor module implements. A
// vendor module is pure: it identifies requests, scores support for a model and
// renders files from a DeviceConfig; it never touches a database, a socket or
// the filesystem. Parameters a vendor cannot express are ignored, not errors.
import { z } from 'zod';

export const transport = z.enum(['udp', 'tcp', 'tls']);
export type Transport = z.infer<typeof transport>;

export const sipLine = z.object({
  /** 1-based: the phone's account/line number, or the ATA's FXS port. */
  lineNo: z.number().int().min(1).max(64),
  displayName: z.string(),
  /** What the phone shows next to the line key. */
  label: z.string(),
  /** SIP user id and auth user (the same in callplane). */
  username: z.string(),
  password: z.string(),
  /** The account's realm: the SIP domain and digest realm. */
  realm: z.string(),
  /** Where the phone sends SIP: the drachtio edge. */
  proxyHost: z.string(),
  proxyPort: z.number().int().min(1).max(65_535),
  transport,
  /** Voicemail / feature access number; optional. */
  voicemailNumber: z.string().optional(),
  /** Registration lifetime the phone asks for, in seconds. */
  registerExpires: z.number().int().min(60).default(3_600),
});
export type SipLine = z.infer<typeof sipLine>;

export const functionKey = z.discriminatedUnion('kind', [
  /** Busy lamp field for a colleague's extension, with pickup. */
  z.object({ kind: z.literal('blf'), position: z.number().int().min(1), label: z.string(), extension: z.string(), lineNo: z.number().int().min(1).default(1) }),
  z.object({ kind: z.literal('speed_dial'), position: z.number().int().min(1), label: z.string(), number: z.string(), lineNo: z.number().int().min(1).default(1) }),
]);
export type FunctionKey = z.infer<typeof functionKey>;

export const codec = z.enum(['PCMU', 'PCMA', 'G722', 'G729', 'opus']);
export type Codec = z.infer<typeof codec>;

/** The raw config: everything a vendor module may render. */
export const deviceConfig = z.object({
  mac: z.string().regex(/^[0-9a-f]{12}$/),
  vendor: z.string(),
  model: z.string(),
  label: z.string(),
  lines: z.array(sipLine),
  /** IANA name, e.g. Europe/Berlin; each vendor converts it into its own form. */
  timezone: z.string(),
  ntpServers: z.array(z.string()).default(['pool.ntp.org']),
  /** BCP 47 language, e.g. en, de, fr; vendors map it to their own names. */
  language: z.string().default('en'),
  /** Preferred first. */
  codecs: z.array(codec).default(['G722', 'PCMA', 'PCMU']),
  functionKeys: z.array(functionKey).default([]),
  /** Per-device random password for the phone's own web UI. */
  adminPassword: z.string(),
  /** The base URL the device fetches from (key included), for vendors that want their provisioning server set in the file. */
  provisioningUrl: z.string(),
  /** Dial plan hint: extensions are this many digits (for vendors with a digit map). */
  extensionDigits: z.number().int().min(2).max(8).default(3),
});
export type DeviceConfig = z.output<typeof deviceConfig>;
export type DeviceConfigInput = z.input<typeof deviceConfig>;

/** What a vendor module learns from one HTTP request. */
export interface RequestInfo {
  /** The MAC the request names, from the file name or, where the vendor sends it, the User-Agent. */
  mac?: string;
  /** The MAC found in the User-Agent, when the vendor puts one there (must match the path's). */
  userAgentMac?: string;
  model?: string;
  firmware?: string;
}

export interface RenderedFile {
  contentType: string;
  body: string;
  /** True when the file holds a SIP or admin password (never served after a failed check, never cached). */
  sensitive: boolean;
}

export interface VendorModule {
  /** The devices.vendor value this module serves. */
  readonly vendor: string;
  /** Model names this vendor knows, with per-model facts (line count, ports, key count); data, not code. */
  readonly models: Readonly<Record<string, { lines: number; kind: 'phone' | 'ata'; functionKeys?: number }>>;
  /** Whether a User-Agent is this vendor's, and what it says (model, firmware, MAC). */
  parseUserAgent(userAgent: string): RequestInfo | undefined;
  /** Whether a requested file name is one this vendor asks for, and the MAC in it (undefined for common files such as y000000000044.cfg). */
  matchPath(fileName: string): { mac?: string } | undefined;
  /** 0 (unknown) … 3 (tested) support for a model. */
  supportScore(model: string): number;
  /**
   * The files for one device: the file name (as the device asks for it) → content. Common files included.
   * `now` (optional, added by the vendor modules) picks the year whose DST rules are written; without it the
   * module reads the clock, so callers that want reproducible output pass it.
   */
  render(config: DeviceConfig, now?: Date): Map<string, RenderedFile>;
  /** Files the device may upload (Polycom logs and overrides): accepted, size-limited, stored, never executed. */
  acceptsUpload?(fileName: string): { mac?: string } | undefined;
  /** The NOTIFY Event value that makes the device fetch its files again without a reboot. */
  readonly resyncEvent: string;
}
