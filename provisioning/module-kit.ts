// Small pieces every vendor module shares: the per-model facts table shape,
// support scores from it, where a line registers, and the clock default.
import type { SipLine, VendorModule } from './contract.js';

/** One row of a vendor's models table: the contract's facts plus how well callplane knows the model. */
export interface ModelFacts {
  lines: number;
  kind: 'phone' | 'ata';
  functionKeys?: number;
  /** 3 = rendered and checked against the vendor's documentation and a real device's file names; 2 = same family. */
  support: 2 | 3;
}

/** The contract's `models` view of a vendor's table (drops vendor-only columns). */
export function contractModels<T extends ModelFacts>(table: Readonly<Record<string, T>>): VendorModule['models'] {
  return Object.fromEntries(
    Object.entries(table).map(([name, m]) => [name, m.functionKeys === undefined ? { lines: m.lines, kind: m.kind } : { lines: m.lines, kind: m.kind, functionKeys: m.functionKeys }]),
  );
}

/** Case- and punctuation-insensitive lookup: "SIP-T46U", "t46u" and "T46U" are one model. */
export function findModel<T>(table: Readonly<Record<string, T>>, model: string): [string, T] | undefined {
  const key = canonicalModel(model);
  const hit = Object.entries(table).find(([name]) => canonicalModel(name) === key);
  return hit;
}

export function canonicalModel(model: string): string {
  return model.toUpperCase().replace(/^(SIP-|SIP |VVX_|VVX |OBI)/, (p) => (p.startsWith('OBI') ? 'OBI' : '')).replace(/[\s_-]/g, '');
}

export function supportScoreIn(table: Readonly<Record<string, ModelFacts>>, model: string): number {
  return findModel(table, model)?.[1].support ?? 0;
}

/**
 * Where a line registers. The realm is the SIP domain; when the edge that
 * carries SIP has another name, it becomes the outbound proxy.
 */
export function registration(line: SipLine): { domain: string; proxy?: { host: string; port: number } } {
  if (line.realm === line.proxyHost) return { domain: line.realm };
  return { domain: line.realm, proxy: { host: line.proxyHost, port: line.proxyPort } };
}

/** The clock read happens here, once, only when the caller passed no `now`. */
export function renderYear(now: Date | undefined): number {
  return (now ?? new Date()).getUTCFullYear();
}

/** BCP 47 tag → its primary language subtag, lowercased ("de-CH" → "de"). */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? 'en';
}
