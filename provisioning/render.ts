// Building blocks every vendor renders with: XML escaping, a tiny element
// tree printed deterministically, key=value files, and MAC spellings. Values
// are escaped here once, so no vendor template can forget it.
import type { DeviceConfig, RenderedFile, SipLine } from './contract.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text and attribute values; drops control characters XML 1.0 forbids. */
export function escapeXml(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

export interface XmlElement {
  name: string;
  attrs?: Record<string, string | number>;
  /** Text content, or child elements. */
  body?: string | number | XmlElement[];
}

export function el(name: string, body?: XmlElement['body'], attrs?: XmlElement['attrs']): XmlElement {
  return { name, body, attrs };
}

function attributes(attrs: XmlElement['attrs']): string {
  if (!attrs) return '';
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function printElement(e: XmlElement, indent: string, out: string[]): void {
  const open = `${indent}<${e.name}${attributes(e.attrs)}`;
  if (e.body === undefined) out.push(`${open}/>`);
  else if (e.body === '') out.push(`${open}></${e.name}>`);
  else if (Array.isArray(e.body)) {
    out.push(`${open}>`);
    for (const child of e.body) printElement(child, `${indent}  `, out);
    out.push(`${indent}</${e.name}>`);
  } else out.push(`${open}>${escapeXml(String(e.body))}</${e.name}>`);
}

/** An XML document with the declaration and one root element, two-space indented, newline-terminated. */
export function xmlDocument(root: XmlElement, declaration = '<?xml version="1.0" encoding="UTF-8"?>'): string {
  const out = [declaration];
  printElement(root, '', out);
  return `${out.join('\n')}\n`;
}

/** `key = value` lines (Yealink style); values are written as they are: these formats have no escaping. */
export function keyValueLines(entries: ReadonlyArray<readonly [string, string | number]>, separator = ' = '): string {
  return entries.map(([k, v]) => `${k}${separator}${oneLine(String(v))}`).join('\n');
}

/** Line breaks would start a new key in line-based formats: a display name must not inject settings. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

export function macWithColons(mac: string): string {
  return mac.match(/.{2}/g)?.join(':') ?? mac;
}

/** A MAC from any notation as 12 lowercase hex digits, or undefined. */
export function normalMac(raw: string): string | undefined {
  const mac = raw.toLowerCase().replace(/[:.-]/g, '');
  return /^[0-9a-f]{12}$/.test(mac) ? mac : undefined;
}

export function file(contentType: string, body: string, sensitive: boolean): RenderedFile {
  return { contentType, body, sensitive };
}

/** Lines sorted by number, so output never depends on the order the caller listed them in. */
export function linesInOrder(config: DeviceConfig, max: number): SipLine[] {
  return [...config.lines].filter((l) => l.lineNo <= max).sort((a, b) => a.lineNo - b.lineNo);
}

export function keysInOrder<K extends { position: number }>(keys: readonly K[], max: number): K[] {
  return [...keys].filter((k) => k.position <= max).sort((a, b) => a.position - b.position);
}
