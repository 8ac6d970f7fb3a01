// Fanvil X-series: <mac>.cfg in the "<<VOIP CONFIG FILE>>" text form, one
// "<NAME CONFIG MODULE>" section per area, each line "Key :value". Key names
// follow Fanvil's XML form (wazo-provd-plugins) with underscores as spaces.
import type { DeviceConfig, FunctionKey, RenderedFile, SipLine, Transport, VendorModule } from '../../contract.js';
import { contractModels, findModel, primaryLanguage, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { file, keysInOrder, linesInOrder, normalMac, oneLine } from '../../render.js';
import { type DstChange, signedHours, zoneRules } from '../../timezone.js';
import { FANVIL_LANGUAGES, FANVIL_MODELS } from './models.js';

type Entries = Array<[string, string | number]>;
const TEXT = 'text/plain; charset=utf-8';
const TRANSPORT: Record<Transport, number> = { udp: 0, tcp: 1, tls: 3 };

// "Fanvil X4U 2.12.4.7 0c383e112233", "Fanvil X4U-Pro 2.12.4.7 0c383e112233"
const UA = /^Fanvil ([A-Za-z]+\d+[A-Za-z]*(?:[- ](?:Pro|V2))?) ([\d.]+)(?: ([0-9a-fA-F]{12}))?/;

function section(name: string, entries: Entries): string {
  // Keys padded to 19 characters, as Fanvil's own exports do; the parser splits on the first colon.
  return [`<${name}>`, ...entries.map(([k, v]) => `${k.padEnd(19)}:${oneLine(String(v))}`)].join('\n');
}

function lineEntries(line: SipLine): Entries {
  const p = `SIP${line.lineNo}`;
  const reg = registration(line);
  return [
    [`${p} Phone Number`, line.username],
    [`${p} Display Name`, line.displayName],
    [`${p} Sip Name`, line.label],
    [`${p} Register Addr`, reg.domain],
    [`${p} Register Port`, line.proxyPort],
    [`${p} Register User`, line.username],
    [`${p} Register Pswd`, line.password],
    [`${p} Register TTL`, line.registerExpires],
    [`${p} Enable Reg`, 1],
    [`${p} Proxy Addr`, reg.proxy?.host ?? ''],
    [`${p} Proxy Port`, reg.proxy?.port ?? ''],
    [`${p} Transport`, TRANSPORT[line.transport]],
    [`${p} MWI Num`, line.voicemailNumber ?? ''],
  ];
}

function keyEntries(key: FunctionKey): Entries {
  const p = `Fkey${key.position}`;
  const value = key.kind === 'blf' ? `${key.extension}@${key.lineNo}/ba` : `${key.number}@${key.lineNo}/f`;
  return [[`${p} Type`, 1], [`${p} Value`, value], [`${p} Title`, key.label]];
}

/** DST week: -1 = last; weekday as Fanvil counts it (0 = Monday … 6 = Sunday). */
function change(prefix: string, c: DstChange): Entries {
  return [
    [`${prefix} Mon`, c.month],
    [`${prefix} Week`, c.week === 5 ? -1 : c.week],
    [`${prefix} Wday`, (c.weekday + 6) % 7],
    [`${prefix} Hour`, Math.floor(c.minutes / 60)],
    [`${prefix} Min`, c.minutes % 60],
  ];
}

/** Time Zone in quarter hours east of UTC, its "UTC+1" name, and the DST rule. */
export function fanvilTime(zone: string, year: number): Entries {
  const rules = zoneRules(zone, year);
  const off = rules.standardOffsetMinutes;
  const out: Entries = [['Time Zone', Math.round(off / 15)], ['Time Zone Name', off === 0 ? 'UTC' : `UTC${signedHours(off)}`]];
  if (!rules.dst) return [...out, ['Enable DST', 0]];
  return [...out, ['Enable DST', 2], ['DST Min Offset', rules.dst.saveMinutes], ...change('DST Start', rules.dst.start), ...change('DST End', rules.dst.end)];
}

function configFile(config: DeviceConfig, maxLines: number, maxKeys: number, year: number): string {
  const global: Entries = [
    ['SNTP Server', config.ntpServers[0] ?? 'pool.ntp.org'],
    ['Enable SNTP', 1],
    ...fanvilTime(config.timezone, year),
    ['Language', FANVIL_LANGUAGES[primaryLanguage(config.language)] ?? 'en'],
  ];
  const sections = [
    section('GLOBAL CONFIG MODULE', global),
    section('SIP CONFIG MODULE', linesInOrder(config, maxLines).flatMap(lineEntries)),
    section('MMI CONFIG MODULE', [['Web Server Type', 0], ['User Name', 'admin'], ['User Password', config.adminPassword]]),
    section('AUTOUPDATE CONFIG MODULE', [['Config Server Path', config.provisioningUrl]]),
    section('DSS CONFIG MODULE', keysInOrder(config.functionKeys, maxKeys).flatMap(keyEntries)),
  ];
  return `<<VOIP CONFIG FILE>>Version:2.0000000000\n\n${sections.join('\n\n')}\n\n<<END OF FILE>>\n`;
}

export const fanvil: VendorModule = {
  vendor: 'fanvil',
  models: contractModels(FANVIL_MODELS),
  resyncEvent: 'check-sync;reboot=false',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent.trim());
    if (!m?.[1]) return undefined;
    const mac = m[3] ? normalMac(m[3]) : undefined;
    return { model: m[1].toUpperCase(), firmware: m[2], mac, userAgentMac: mac };
  },

  matchPath(fileName) {
    const m = /^([0-9a-fA-F]{12})\.cfg$/.exec(fileName);
    return m?.[1] && !/^0{12}$/.test(m[1]) ? { mac: m[1].toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(FANVIL_MODELS, model),

  render(config, now) {
    const model = findModel(FANVIL_MODELS, config.model)?.[1] ?? FANVIL_MODELS.X4U!;
    return new Map<string, RenderedFile>([[`${config.mac}.cfg`, file(TEXT, configFile(config, model.lines, model.functionKeys ?? 0, renderYear(now)), true)]]);
  },
};
