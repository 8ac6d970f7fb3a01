// Snom D-series: snom<model>-<MAC>.htm holding the XML settings (phone-settings
// with idx="N" per identity, functionKeys with fkey BLF/speed entries).
import type { DeviceConfig, FunctionKey, RenderedFile, SipLine, VendorModule } from '../../contract.js';
import { canonicalModel, contractModels, findModel, primaryLanguage, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { type XmlElement, el, file, keysInOrder, linesInOrder, normalMac, xmlDocument } from '../../render.js';
import { type DstChange, zoneRules } from '../../timezone.js';
import { SNOM_LANGUAGES, SNOM_MODELS, SNOM_ZONE_NAMES } from './models.js';

const XML = 'application/xml; charset=utf-8';

// "Mozilla/4.0 (compatible; snom D785 10.1.73.16 000413aabbcc)",
// "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)"
const UA = /\bsnom\s?([A-Za-z]*\d+[A-Za-z]*)(?:-SIP)?\s+([\d.]+)(?:.*?\b(000413[0-9A-Fa-f]{6})\b)?/;

function setting(name: string, value: string | number, idx?: number): XmlElement {
  return el(name, String(value), idx === undefined ? { perm: 'R' } : { idx, perm: 'R' });
}

function identity(line: SipLine): XmlElement[] {
  const n = line.lineNo;
  const reg = registration(line);
  const outbound = `${reg.proxy?.host ?? reg.domain}:${reg.proxy?.port ?? line.proxyPort};transport=${line.transport}`;
  return [
    setting('user_active', 'on', n),
    setting('user_realname', line.displayName, n),
    setting('user_name', line.username, n),
    setting('user_pname', line.username, n),
    setting('user_pass', line.password, n),
    setting('user_host', reg.domain, n),
    setting('user_outbound', outbound, n),
    setting('user_expiry', line.registerExpires, n),
    setting('user_idle_text', line.label, n),
    ...(line.voicemailNumber ? [setting('user_mailbox', line.voicemailNumber, n)] : []),
  ];
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * One change of snom's `dst` "Format 1": `mm.ww.dd hh:mm:ss`, every field two digits; ww 01–05 with
 * 05 = last week of the month; dd 01–07 from Monday, so Sunday is 07; the time is local, in the time
 * in force before the change (Germany: `03.05.07 02:00:00` … `10.05.07 03:00:00`). Sources: snom's
 * settings page "dst" (service.snom.com/display/wiki/dst, wiki.snom.com/Settings/dst), and the
 * wazo-provd snom plugin's _format_dst_change (`{month:02d}.{week:02d}.{weekday:02d}` with
 * week_start_on_monday: Sunday → 7; wazo-platform/wazo-provd-plugins plugins/wazo-snom/common/common.py
 * before commit 648f3ed9).
 */
function snomChange(c: DstChange): string {
  const weekday = c.weekday === 0 ? 7 : c.weekday;
  return `${two(c.month)}.${two(c.week)}.${two(weekday)} ${two(Math.floor(c.minutes / 60))}:${two(c.minutes % 60)}:00`;
}

/**
 * The named snom zone when there is one. Otherwise `utc_offset` in seconds and `dst` "<save seconds>
 * <start> <end>", with `timezone` written empty: snom derives `dst` from a named `timezone`
 * (snom "dst" page: "retrieved automatically from the timezone configuration"), so a zone name left
 * over from an earlier file would win. wazo-provd's snom plugin wrote the same three settings,
 * `dst` empty for a zone without DST.
 */
export function snomTime(zone: string, year: number): Array<[string, string | number]> {
  const name = SNOM_ZONE_NAMES[zone];
  if (name) return [['timezone', name]];
  const rules = zoneRules(zone, year);
  const dst = rules.dst ? `${rules.dst.saveMinutes * 60} ${snomChange(rules.dst.start)} ${snomChange(rules.dst.end)}` : '';
  return [['timezone', ''], ['utc_offset', rules.standardOffsetMinutes * 60], ['dst', dst]];
}

function fkey(key: FunctionKey, realm: string): XmlElement {
  const value = key.kind === 'blf' ? `blf <sip:${key.extension}@${realm}>` : `speed ${key.number}`;
  return el('fkey', value, { idx: key.position - 1, context: key.lineNo, label: key.label, perm: 'R' });
}

function settingsXml(config: DeviceConfig, lines: SipLine[], maxKeys: number, year: number): string {
  const realm = lines[0]?.realm ?? '';
  const phone = [
    ...lines.flatMap(identity),
    ...snomTime(config.timezone, year).map(([k, v]) => setting(k, v)),
    setting('ntp_server', config.ntpServers[0] ?? 'pool.ntp.org'),
    setting('language', SNOM_LANGUAGES[primaryLanguage(config.language)] ?? 'English'),
    setting('admin_mode_password', config.adminPassword),
    setting('http_user', 'admin'),
    setting('http_pass', config.adminPassword),
    setting('setting_server', `${config.provisioningUrl}/snom${canonicalModel(config.model)}-{mac}.htm`),
  ];
  const keys = keysInOrder(config.functionKeys, maxKeys).map((k) => fkey(k, realm));
  const children = [el('phone-settings', phone, { e: 2 })];
  if (keys.length > 0) children.push(el('functionKeys', keys, { e: 2 }));
  return xmlDocument(el('settings', children));
}

export const snom: VendorModule = {
  vendor: 'snom',
  models: contractModels(SNOM_MODELS),
  resyncEvent: 'check-sync;reboot=false',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent);
    if (!m?.[1]) return undefined;
    const mac = m[3] ? normalMac(m[3]) : undefined;
    return { model: m[1].toUpperCase(), firmware: m[2], mac, userAgentMac: mac };
  },

  matchPath(fileName) {
    const m = /^snom[A-Za-z]*\d+[A-Za-z]*-([0-9a-fA-F]{12})\.htm$/.exec(fileName);
    return m?.[1] ? { mac: m[1].toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(SNOM_MODELS, model),

  render(config, now) {
    const [name, model] = findModel(SNOM_MODELS, config.model) ?? ['D785', SNOM_MODELS.D785!];
    const body = settingsXml(config, linesInOrder(config, model.lines), model.functionKeys ?? 0, renderYear(now));
    return new Map<string, RenderedFile>([[`snom${name}-${config.mac.toUpperCase()}.htm`, file(XML, body, true)]]);
  },
};
