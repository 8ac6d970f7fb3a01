// Yealink T-series: a common file per model family (y000000000<hw>.cfg), the
// per-phone <mac>.cfg with accounts, keys and passwords, and <mac>.boot that
// tells firmware 81+ which of the two to load. Key names follow Yealink's
// auto-provisioning guide (v86): account.N.*, linekey.N.*, local_time.*.
import type { Codec, DeviceConfig, FunctionKey, RenderedFile, SipLine, Transport, VendorModule } from '../../contract.js';
import { contractModels, findModel, primaryLanguage, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { file, keysInOrder, keyValueLines, linesInOrder, macWithColons, normalMac } from '../../render.js';
import { type ZoneRules, signedHours, zoneRules } from '../../timezone.js';
import { YEALINK_LANGUAGES, YEALINK_MODELS, YEALINK_ZONE_NAMES } from './models.js';

type Entries = Array<[string, string | number]>;
const HEADER = '#!version:1.0.0.1';
const TEXT = 'text/plain; charset=utf-8';
const TRANSPORT: Record<Transport, number> = { udp: 0, tcp: 1, tls: 2 };
const CODEC: Record<Codec, string> = { PCMU: 'pcmu', PCMA: 'pcma', G722: 'g722', G729: 'g729', opus: 'opus' };
/** linekey.N.type: 16 BLF, 13 speed dial. */
const KEY_TYPE: Record<FunctionKey['kind'], number> = { blf: 16, speed_dial: 13 };

// "Yealink SIP-T46U 108.86.0.20 00:15:65:aa:bb:cc", "Yealink SIP VP-T49G ...", "Yealink W60B ..."
const UA = /^Yealink\s+(?:SIP(?:\s+VP)?[- ])?([A-Z0-9]+)\s+([\d.]+)(?:\s+([0-9a-fA-F:]{17}))?/i;

function accountEntries(line: SipLine): Entries {
  const n = line.lineNo;
  const reg = registration(line);
  const e: Entries = [
    [`account.${n}.enable`, 1],
    [`account.${n}.label`, line.label],
    [`account.${n}.display_name`, line.displayName],
    [`account.${n}.auth_name`, line.username],
    [`account.${n}.user_name`, line.username],
    [`account.${n}.password`, line.password],
    [`account.${n}.sip_server.1.address`, reg.domain],
    [`account.${n}.sip_server.1.port`, line.proxyPort],
    [`account.${n}.sip_server.1.transport_type`, TRANSPORT[line.transport]],
    [`account.${n}.sip_server.1.expires`, line.registerExpires],
    [`account.${n}.outbound_proxy_enable`, reg.proxy ? 1 : 0],
  ];
  if (reg.proxy) e.push([`account.${n}.outbound_proxy.1.address`, reg.proxy.host], [`account.${n}.outbound_proxy.1.port`, reg.proxy.port]);
  if (line.transport === 'tls') e.push([`account.${n}.srtp_encryption`, 1]);
  if (line.voicemailNumber) e.push([`voice_mail.number.${n}`, line.voicemailNumber]);
  return e;
}

function codecEntries(line: SipLine, codecs: readonly Codec[]): Entries {
  return (Object.keys(CODEC) as Codec[]).flatMap((codec): Entries => {
    const rank = codecs.indexOf(codec);
    const key = `account.${line.lineNo}.codec.${CODEC[codec]}`;
    return rank < 0 ? [[`${key}.enable`, 0]] : [[`${key}.enable`, 1], [`${key}.priority`, rank + 1]];
  });
}

function keyEntries(key: FunctionKey): Entries {
  const p = `linekey.${key.position}`;
  return [
    [`${p}.type`, KEY_TYPE[key.kind]],
    [`${p}.line`, key.lineNo],
    [`${p}.value`, key.kind === 'blf' ? key.extension : key.number],
    [`${p}.label`, key.label],
  ];
}

/** Yealink week/day rule "month/week/weekday/hour", weekday 1–7 from Monday, week 5 = last. */
function yealinkChange(c: NonNullable<ZoneRules['dst']>['start']): string {
  return `${c.month}/${c.week}/${c.weekday === 0 ? 7 : c.weekday}/${Math.floor(c.minutes / 60)}`;
}

/** local_time.* for a zone: the named zone with automatic DST when Yealink knows it, explicit rules otherwise. */
export function yealinkTime(zone: string, year: number): Entries {
  const rules = zoneRules(zone, year);
  const e: Entries = [['local_time.time_zone', signedHours(rules.standardOffsetMinutes)]];
  const name = YEALINK_ZONE_NAMES[zone];
  if (name) e.push(['local_time.time_zone_name', name]);
  if (!rules.dst) return [...e, ['local_time.summer_time', 0]];
  if (name) return [...e, ['local_time.summer_time', 2]];
  return [
    ...e,
    ['local_time.summer_time', 1],
    ['local_time.dst_time_type', 1],
    ['local_time.start_time', yealinkChange(rules.dst.start)],
    ['local_time.end_time', yealinkChange(rules.dst.end)],
    ['local_time.offset_time', rules.dst.saveMinutes],
  ];
}

function deviceFile(config: DeviceConfig, year: number, maxLines: number, maxKeys: number): string {
  const lang = YEALINK_LANGUAGES[primaryLanguage(config.language)] ?? 'English';
  const entries: Entries = [
    ...linesInOrder(config, maxLines).flatMap((l) => [...accountEntries(l), ...codecEntries(l, config.codecs)]),
    ...keysInOrder(config.functionKeys, maxKeys).flatMap(keyEntries),
    ...yealinkTime(config.timezone, year),
    ...config.ntpServers.slice(0, 2).map((s, i): [string, string] => [`local_time.ntp_server${i + 1}`, s]),
    ['lang.gui', lang],
    ['lang.wui', lang],
    ['static.security.user_password', `admin:${config.adminPassword}`],
    ['static.auto_provision.server.url', config.provisioningUrl],
  ];
  return `${HEADER}\n${keyValueLines(entries)}\n`;
}

export const yealink: VendorModule = {
  vendor: 'yealink',
  models: contractModels(YEALINK_MODELS),
  resyncEvent: 'check-sync;reboot=false',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent.trim());
    if (!m?.[1]) return undefined;
    const mac = m[3] ? normalMac(m[3]) : undefined;
    return { model: m[1].toUpperCase(), firmware: m[2], mac, userAgentMac: mac };
  },

  matchPath(fileName) {
    if (/^y0{9}\d{3}\.(cfg|boot)$/.test(fileName)) return {};
    const m = /^([0-9a-fA-F]{12})\.(cfg|boot)$/.exec(fileName);
    return m?.[1] ? { mac: m[1].toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(YEALINK_MODELS, model),

  render(config, now) {
    const [, model] = findModel(YEALINK_MODELS, config.model) ?? [config.model, YEALINK_MODELS.T46U!];
    const common = `y000000000${model.hardwareId}.cfg`;
    const files = new Map<string, RenderedFile>();
    files.set(common, file(TEXT, `${HEADER}\nstatic.auto_provision.server.url = ${config.provisioningUrl}\n`, false));
    files.set(`${config.mac}.cfg`, file(TEXT, deviceFile(config, renderYear(now), model.lines, model.functionKeys ?? 0), true));
    const boot = `${HEADER}\n## ${macWithColons(config.mac)}\ninclude:config "${common}"\ninclude:config "${config.mac}.cfg"\noverwrite_mode = 1\n`;
    files.set(`${config.mac}.boot`, file(TEXT, boot, false));
    return files;
  },
};
