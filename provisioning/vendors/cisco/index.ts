// Cisco/Linksys SPA ATAs (SPA112/122) and SPA phones: one flat-profile XML,
// every parameter an element named after the web UI field with _N_ for the
// line (Proxy_1_, User_ID_2_ …); ua="na" hides each from the user UI.
import type { Codec, DeviceConfig, FunctionKey, RenderedFile, SipLine, VendorModule } from '../../contract.js';
import { contractModels, findModel, primaryLanguage, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { type XmlElement, el, file, keysInOrder, linesInOrder, normalMac, xmlDocument } from '../../render.js';
import { type DstChange, signedHours, zoneRules } from '../../timezone.js';
import { CISCO_LANGUAGES, CISCO_MODELS, type CiscoModel } from './models.js';

type Params = Array<[string, string | number]>;
const XML = 'application/xml; charset=utf-8';
const CODEC: Partial<Record<Codec, string>> = { PCMU: 'G711u', PCMA: 'G711a', G722: 'G722', G729: 'G729a' };
const CODEC_SLOTS = ['Preferred_Codec', 'Second_Preferred_Codec', 'Third_Preferred_Codec'];

// "Cisco/SPA112-1.4.1(SR5)", "Linksys/SPA122-1.3.5 (SR1)", "Cisco/SPA508G-7.4.9a (0004F2E57712)(CCQ162306EA)"
const UA = /^(?:Cisco|Linksys)\/([A-Za-z]+-?\d+[A-Za-z0-9]*)-(.+)$/;

function lineParams(line: SipLine, codecs: readonly Codec[]): Params {
  const n = line.lineNo;
  const reg = registration(line);
  const usable = codecs.map((c) => CODEC[c]).filter((c): c is string => c !== undefined);
  return [
    [`Line_Enable_${n}_`, 'Yes'],
    [`Proxy_${n}_`, `${reg.domain}:${line.proxyPort}`],
    [`Outbound_Proxy_${n}_`, reg.proxy ? `${reg.proxy.host}:${reg.proxy.port}` : ''],
    [`Use_Outbound_Proxy_${n}_`, reg.proxy ? 'Yes' : 'No'],
    [`SIP_Transport_${n}_`, line.transport.toUpperCase()],
    [`Register_${n}_`, 'Yes'],
    [`Register_Expires_${n}_`, line.registerExpires],
    [`Display_Name_${n}_`, line.displayName],
    [`User_ID_${n}_`, line.username],
    [`Password_${n}_`, line.password],
    [`Use_Auth_ID_${n}_`, 'No'],
    ...usable.slice(0, CODEC_SLOTS.length).map((c, i): [string, string] => [`${CODEC_SLOTS[i]}_${n}_`, c]),
  ];
}

/** SPA phones: a line key becomes BLF or speed dial through its Extended_Function. */
function keyParams(key: FunctionKey, realm: string): Params {
  const p = key.position;
  const fnc = key.kind === 'blf' ? `fnc=blf+sd+cp;sub=${key.extension}@${realm}` : `fnc=sd;ext=${key.number}@${realm}`;
  return [[`Extension_${p}_`, 'Disabled'], [`Short_Name_${p}_`, key.label], [`Extended_Function_${p}_`, fnc]];
}

/** "month/day/weekday/hour": day -1 = last, a positive day = on or after it; weekday 1–7 from Monday. */
function spaChange(c: DstChange): string {
  const day = c.week === 5 ? -1 : (c.week - 1) * 7 + 1;
  const hour = `${Math.floor(c.minutes / 60)}${c.minutes % 60 ? `:${String(c.minutes % 60).padStart(2, '0')}` : ''}`;
  return `${c.month}/${day}/${c.weekday === 0 ? 7 : c.weekday}/${hour}`;
}

/** Time_Zone ("GMT+01:00") and the DST rule ("start=3/-1/7/2;end=10/-1/7/3;save=1"). */
export function ciscoTime(zone: string, year: number): Params {
  const rules = zoneRules(zone, year);
  const off = rules.standardOffsetMinutes;
  const abs = Math.abs(off);
  const tz = off === 0 ? 'GMT' : `GMT${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  if (!rules.dst) return [['Time_Zone', tz], ['Daylight_Saving_Time_Enable', 'No']];
  const save = signedHours(rules.dst.saveMinutes).slice(1);
  return [
    ['Time_Zone', tz],
    ['Daylight_Saving_Time_Enable', 'Yes'],
    ['Daylight_Saving_Time_Rule', `start=${spaChange(rules.dst.start)};end=${spaChange(rules.dst.end)};save=${save}`],
  ];
}

function profile(config: DeviceConfig, model: CiscoModel, year: number): string {
  const lines = linesInOrder(config, model.lines);
  const realm = lines[0]?.realm ?? '';
  const params: Params = [
    ['Profile_Rule', `${config.provisioningUrl}/spa$MA.cfg`],
    ...ciscoTime(config.timezone, year),
    ['Primary_NTP_Server', config.ntpServers[0] ?? 'pool.ntp.org'],
    ['Secondary_NTP_Server', config.ntpServers[1] ?? ''],
    ...(model.kind === 'ata' ? ([['Web_Login_Admin_Name', 'admin']] as Params) : []),
    [model.adminPassword, config.adminPassword],
    ...(model.kind === 'phone' ? ([['Language_Selection', CISCO_LANGUAGES[primaryLanguage(config.language)] ?? 'English']] as Params) : []),
    ...lines.flatMap((l) => lineParams(l, config.codecs)),
    ...keysInOrder(config.functionKeys, model.functionKeys ?? 0).flatMap((k) => keyParams(k, realm)),
  ];
  const body: XmlElement[] = params.map(([k, v]) => el(k, String(v), { ua: 'na' }));
  return xmlDocument(el('flat-profile', body), '<?xml version="1.0" standalone="yes"?>');
}

export const cisco: VendorModule = {
  vendor: 'cisco',
  models: contractModels(CISCO_MODELS),
  resyncEvent: 'resync',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent.trim());
    if (!m?.[1] || !m[2]) return undefined;
    const macMatch = /\(([0-9A-Fa-f]{12})\)/.exec(m[2]);
    const mac = macMatch?.[1] ? normalMac(macMatch[1]) : undefined;
    const firmware = m[2].replace(/\s*\([0-9A-Fa-f]{12}\)(\(\w+\))?/, '').replace(/\s+\(/, '(').trim();
    return { model: m[1].toUpperCase().replace('-', ''), firmware, mac, userAgentMac: mac };
  },

  matchPath(fileName) {
    const m = /^(?:spa([0-9a-fA-F]{12})\.(?:cfg|xml)|([0-9a-fA-F]{12})\.xml)$/.exec(fileName);
    const mac = m?.[1] ?? m?.[2];
    return mac ? { mac: mac.toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(CISCO_MODELS, model),

  render(config, now) {
    const model = findModel(CISCO_MODELS, config.model)?.[1] ?? CISCO_MODELS.SPA112!;
    const body = profile(config, model, renderYear(now));
    return new Map<string, RenderedFile>([
      [`spa${config.mac}.cfg`, file(XML, body, true)],
      [`${config.mac}.xml`, file(XML, body, true)],
    ]);
  },
};
