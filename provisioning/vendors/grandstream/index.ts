// Grandstream GXP/GRP phones and HT80x/HT81x ATAs: one cfg<mac>.xml in
// gs_provision form, every setting a numbered P-value (see p-values.ts).
import type { DeviceConfig, RenderedFile, SipLine, VendorModule } from '../../contract.js';
import { contractModels, findModel, primaryLanguage, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { el, file, keysInOrder, linesInOrder, normalMac, xmlDocument } from '../../render.js';
import { posixTz, zoneRules } from '../../timezone.js';
import { GRANDSTREAM_LANGUAGES, GRANDSTREAM_MODELS, type GrandstreamModel } from './models.js';
import { type AccountP, GS_TRANSPORT, MPK_MODE, ht80xPort, ht81xPort, mpk, phoneAccount } from './p-values.js';

type P = Array<[string, string | number]>;
const XML = 'application/xml; charset=utf-8';

// "Grandstream Model HW HT802 SW 1.0.43.11 DevId c074ad112233", "... HW HT801 V1.1A SW 1.0.17.5 DevId ..."
const UA = /^Grandstream Model HW (\S+?)(?:V\d+)?(?:\s+V[\d.]+[A-Z]?)? SW (\S+) DevId ([0-9a-fA-F:]{12,17})/;

function server(line: SipLine): string {
  return `${registration(line).domain}:${line.proxyPort}`;
}

function accountP(line: SipLine, p: AccountP): P {
  const reg = registration(line);
  const out: P = [[p.active, 1], [p.server, server(line)]];
  if (p.outboundProxy) out.push([p.outboundProxy, reg.proxy ? `${reg.proxy.host}:${reg.proxy.port}` : '']);
  out.push([p.userId, line.username], [p.authId, line.username], [p.password, line.password], [p.displayName, line.displayName]);
  if (p.accountName) out.push([p.accountName, line.label]);
  if (p.transport) out.push([p.transport, GS_TRANSPORT[line.transport]]);
  if (p.expiresMinutes) out.push([p.expiresMinutes, Math.max(1, Math.round(line.registerExpires / 60))]);
  if (p.voicemail && line.voicemailNumber) out.push([p.voicemail, line.voicemailNumber]);
  return out;
}

function ht81xP(lines: SipLine[]): P {
  const first = lines[0];
  if (!first) return [];
  // All ports register through SIP profile 1, so the first port's server is the profile's.
  const reg = registration(first);
  const out: P = [
    ['P271', 1],
    ['P47', server(first)],
    ['P48', reg.proxy ? `${reg.proxy.host}:${reg.proxy.port}` : ''],
    ['P130', GS_TRANSPORT[first.transport]],
    ['P32', Math.max(1, Math.round(first.registerExpires / 60))],
  ];
  for (const line of lines) {
    const p = ht81xPort(line.lineNo);
    out.push([p.userId, line.username], [p.authId, line.username], [p.password, line.password], [p.name, line.displayName], [p.profile, 0]);
  }
  return out;
}

function linesP(config: DeviceConfig, model: GrandstreamModel): P {
  const lines = linesInOrder(config, model.lines);
  if (model.layout === 'ht81x') return ht81xP(lines);
  return lines.flatMap((l) => {
    const p = model.layout === 'ht80x' ? ht80xPort(l.lineNo) : phoneAccount(l.lineNo);
    return p ? accountP(l, p) : [];
  });
}

function keysP(config: DeviceConfig, model: GrandstreamModel): P {
  return keysInOrder(config.functionKeys, model.functionKeys ?? 0).flatMap((k): P => {
    const p = mpk(k.position);
    if (!p) return [];
    return [[p.mode, MPK_MODE[k.kind]], [p.account, k.lineNo - 1], [p.name, k.label], [p.value, k.kind === 'blf' ? k.extension : k.number]];
  });
}

/** P64: Grandstream takes a POSIX TZ string with the DST offset and hh:mm:ss times written out. */
export function grandstreamTimeZone(zone: string, year: number): string {
  return posixTz(zoneRules(zone, year), 'full');
}

function configXml(config: DeviceConfig, model: GrandstreamModel, year: number): string {
  const p: P = [
    ['P2', config.adminPassword],
    ['P30', config.ntpServers[0] ?? 'pool.ntp.org'],
    ['P64', grandstreamTimeZone(config.timezone, year)],
    ['P1362', GRANDSTREAM_LANGUAGES[primaryLanguage(config.language)] ?? 'en'],
    ['P237', config.provisioningUrl.replace(/^https?:\/\//, '')],
    ...linesP(config, model),
    ...keysP(config, model),
  ];
  const body = p.map(([k, v]) => el(k, String(v)));
  return xmlDocument(el('gs_provision', [el('mac', config.mac), el('config', body, { version: 1 })], { version: 1 }));
}

export const grandstream: VendorModule = {
  vendor: 'grandstream',
  models: contractModels(GRANDSTREAM_MODELS),
  resyncEvent: 'check-sync;reboot=false',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent.trim());
    if (!m?.[1]) return undefined;
    const mac = m[3] ? normalMac(m[3]) : undefined;
    return { model: m[1].toUpperCase(), firmware: m[2], mac, userAgentMac: mac };
  },

  matchPath(fileName) {
    const m = /^cfg([0-9a-fA-F]{12})(?:\.xml)?$/.exec(fileName);
    return m?.[1] ? { mac: m[1].toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(GRANDSTREAM_MODELS, model),

  render(config, now) {
    const model = findModel(GRANDSTREAM_MODELS, config.model)?.[1] ?? GRANDSTREAM_MODELS.GXP2160!;
    return new Map<string, RenderedFile>([[`cfg${config.mac}.xml`, file(XML, configXml(config, model, renderYear(now)), true)]]);
  },
};
