// Poly/Polycom VVX (UC Software 5.x/6.x): the master <mac>.cfg names one
// per-device file, <mac>-callplane.cfg, an XML of dotted parameters (reg.N.*,
// tcpIpApp.sntp.*, attendant.resourceList.N.*). The phone also uploads logs
// and its local overrides; those are accepted, never served back as config.
import type { Codec, DeviceConfig, RenderedFile, SipLine, Transport, VendorModule } from '../../contract.js';
import { contractModels, findModel, primaryLanguage, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { el, file, keysInOrder, linesInOrder, xmlDocument } from '../../render.js';
import { type DstChange, zoneRules } from '../../timezone.js';
import { POLYCOM_LANGUAGES, POLYCOM_MODELS } from './models.js';

type Attrs = Record<string, string | number>;
const XML = 'application/xml; charset=utf-8';
const TRANSPORT: Record<Transport, string> = { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS' };
const CODEC: Record<Codec, string> = { PCMU: 'G711_Mu', PCMA: 'G711_A', G722: 'G722', G729: 'G729_AB', opus: 'OPUS' };
const UPLOADS = /^([0-9a-fA-F]{12})-(app\.log|boot\.log|phone\.cfg|web\.cfg|directory\.xml)$/;

// "PolycomVVX-VVX_450-UA/6.4.3.5018", "FileTransport PolycomVVX-VVX_411-UA/5.9.0.9373 Type/Application"
const UA = /Polycom(?:VVX|SoundPoint|SoundStation)[^-]*-(?:VVX_|SPIP_|SSIP_)?([A-Za-z0-9]+)-UA\/([\d.]+)/;

function regAttrs(line: SipLine): Attrs {
  const p = `reg.${line.lineNo}`;
  const reg = registration(line);
  const a: Attrs = {
    [`${p}.address`]: `${line.username}@${reg.domain}`,
    [`${p}.auth.userId`]: line.username,
    [`${p}.auth.password`]: line.password,
    [`${p}.label`]: line.label,
    [`${p}.displayName`]: line.displayName,
    [`${p}.server.1.address`]: reg.domain,
    [`${p}.server.1.port`]: line.proxyPort,
    [`${p}.server.1.transport`]: TRANSPORT[line.transport],
    [`${p}.server.1.expires`]: line.registerExpires,
  };
  if (reg.proxy) {
    a[`${p}.outboundProxy.address`] = reg.proxy.host;
    a[`${p}.outboundProxy.port`] = reg.proxy.port;
    a[`${p}.outboundProxy.transport`] = TRANSPORT[line.transport];
  }
  if (line.voicemailNumber) a[`msg.mwi.${line.lineNo}.callBackMode`] = 'contact';
  if (line.voicemailNumber) a[`msg.mwi.${line.lineNo}.callBack`] = line.voicemailNumber;
  return a;
}

/** Polycom's rule: month, first possible day of the occurrence, weekday 1–7 from Sunday, or "last in month". */
function dstAttrs(prefix: string, c: DstChange): Attrs {
  const last = c.week === 5;
  return {
    [`${prefix}.month`]: c.month,
    [`${prefix}.date`]: last ? 1 : (c.week - 1) * 7 + 1,
    [`${prefix}.dayOfWeek`]: c.weekday + 1,
    [`${prefix}.dayOfWeek.lastInMonth`]: last ? 1 : 0,
    [`${prefix}.time`]: Math.floor(c.minutes / 60),
  };
}

/** tcpIpApp.sntp.* for a zone: the standard offset in seconds and the DST rule. */
export function polycomTime(zone: string, year: number, ntpServer: string): Attrs {
  const rules = zoneRules(zone, year);
  const base: Attrs = { 'tcpIpApp.sntp.address': ntpServer, 'tcpIpApp.sntp.gmtOffset': rules.standardOffsetMinutes * 60 };
  if (!rules.dst) return { ...base, 'tcpIpApp.sntp.daylightSavings.enable': 0 };
  return {
    ...base,
    'tcpIpApp.sntp.daylightSavings.enable': 1,
    'tcpIpApp.sntp.daylightSavings.fixedDayEnable': 0,
    ...dstAttrs('tcpIpApp.sntp.daylightSavings.start', rules.dst.start),
    ...dstAttrs('tcpIpApp.sntp.daylightSavings.stop', rules.dst.end),
  };
}

function codecAttrs(codecs: readonly Codec[]): Attrs {
  return Object.fromEntries((Object.keys(CODEC) as Codec[]).map((c) => [`voice.codecPref.${CODEC[c]}`, codecs.indexOf(c) + 1]));
}

function deviceXml(config: DeviceConfig, year: number, maxLines: number, maxKeys: number): string {
  const lines = linesInOrder(config, maxLines);
  const blf = keysInOrder(config.functionKeys, maxKeys).filter((k) => k.kind === 'blf');
  const attendant: Attrs = {};
  blf.forEach((k, i) => {
    attendant[`attendant.resourceList.${i + 1}.address`] = k.extension;
    attendant[`attendant.resourceList.${i + 1}.label`] = k.label;
    attendant[`attendant.resourceList.${i + 1}.type`] = 'normal';
  });
  const children = [
    el('reg', undefined, Object.assign({}, ...lines.map(regAttrs)) as Attrs),
    el('voice', undefined, codecAttrs(config.codecs)),
    el('tcpIpApp', undefined, polycomTime(config.timezone, year, config.ntpServers[0] ?? 'pool.ntp.org')),
    el('lcl', undefined, { 'lcl.ml.lang': POLYCOM_LANGUAGES[primaryLanguage(config.language)] ?? 'English_United_States' }),
    el('device', undefined, {
      'device.set': 1,
      'device.auth.localAdminPassword': config.adminPassword,
      'device.auth.localAdminPassword.set': 1,
      'device.prov.serverName': config.provisioningUrl,
      'device.prov.serverName.set': 1,
    }),
  ];
  if (blf.length > 0) children.splice(1, 0, el('attendant', undefined, attendant));
  return xmlDocument(el('polycomConfig', children), '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>');
}

function masterXml(mac: string): string {
  return xmlDocument(
    el('APPLICATION', undefined, {
      APP_FILE_PATH: 'sip.ld',
      CONFIG_FILES: `${mac}-callplane.cfg`,
      MISC_FILES: '',
      LOG_FILE_DIRECTORY: '',
      OVERRIDES_DIRECTORY: '',
      CONTACTS_DIRECTORY: '',
      LICENSE_DIRECTORY: '',
    }),
    '<?xml version="1.0" standalone="yes"?>',
  );
}

export const polycom: VendorModule = {
  vendor: 'polycom',
  models: contractModels(POLYCOM_MODELS),
  resyncEvent: 'check-sync',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent);
    if (!m?.[1]) return undefined;
    const model = m[1].toUpperCase();
    return { model: /^\d/.test(model) ? `VVX${model}` : model, firmware: m[2] };
  },

  matchPath(fileName) {
    if (fileName === '000000000000.cfg') return {};
    const m = /^([0-9a-fA-F]{12})(?:-callplane)?\.cfg$/.exec(fileName);
    return m?.[1] && m[1] !== '000000000000' ? { mac: m[1].toLowerCase() } : undefined;
  },

  acceptsUpload(fileName) {
    const m = UPLOADS.exec(fileName);
    return m?.[1] ? { mac: m[1].toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(POLYCOM_MODELS, model),

  render(config, now) {
    const model = findModel(POLYCOM_MODELS, config.model)?.[1] ?? POLYCOM_MODELS.VVX450!;
    const files = new Map<string, RenderedFile>();
    files.set(`${config.mac}.cfg`, file(XML, masterXml(config.mac), false));
    files.set(`${config.mac}-callplane.cfg`, file(XML, deviceXml(config, renderYear(now), model.lines, model.functionKeys ?? 0), true));
    return files;
  },
};
