// Obihai OBi2xx/3xx: obi<MAC>.xml, the OBi "full XML" configuration format: a
// ParameterList of Objects, each an object path and ParameterValueStructs of
// Name/Value. Naming follows TR-104 the OBi way: SPn Service is
// VoiceService.1.VoiceProfile.1.Line.n., ITSP Profile A, B … is
// VoiceService.1.VoiceProfile.1., .2. …; SPn is bound to its profile by
// X_ServProvProfile. callplane gives line n both SPn and ITSP profile n.
// Sources (also in provisioning/README.md):
//   [OBI-AG]   Obihai "OBi1000 Series Administration Guide" (2015): "Remote Provisioning" (full and short
//              XML formats; the full format's Object/Name/ParameterValueStruct/Value example for
//              VoiceService.1.VoiceProfile.1.Line.1.SIP.), "SIP Credentials (VoiceService.1.VoiceProfile.1.Line.n.SIP.)"
//              — manualshive.com/en/manual/obihai/obi1062/3153653 pages 23 and 192
//   [POLY-DG]  Poly "OBi Voice Adapter Device Deployment Guide, OBi3 and OBi5 Series" (3725-85484-002), table
//              "Sample SP Account Parameter Object Mappings" — manuzoid.com/manuals/aNm0G-Poly OBi508 Deployment Guide
//   [POLY-ATA] Poly ATA 400 series admin guide, "ITSP Profiles and SP Services" (X_ServProvProfile)
//              — easymanua.ls/poly/ata-400-series/manual?p=83
//   [OBICFG]   campbell-r-e/obicfg skills/obicfg/references/recipes.md (checked on an OBi200, fw 3.2.2): SP2 is
//              page VS_1_VP_1_L_2_, ITSP Profile B is VS_1_VP_2_, the PHONE port (PrimaryLine, value "SP3 Service")
//              is VS_1_X_FXS_1_, admin password on DM_MISC_, NTP and time zone on DI_NS_
//   [FPBX]     fusionpbx/fusionpbx resources/templates/provision/obihai/obi302/{$mac}.xml (full format;
//              VoiceProfile.1.Line.N.SIP. credentials, VoiceProfile.N.SIP. ProxyServer/Port/Transport)
import type { DeviceConfig, RenderedFile, SipLine, VendorModule } from '../../contract.js';
import { contractModels, findModel, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { type XmlElement, el, file, linesInOrder, xmlDocument } from '../../render.js';
import { posixTz, zoneRules } from '../../timezone.js';
import { OBIHAI_MODELS } from './models.js';

type Params = Array<[string, string | number]>;
const XML = 'application/xml; charset=utf-8';

// "OBIHAI/OBi202-3.2.2.5921"
const UA = /^OBIHAI\/(OBi\w+)-([\d.]+)/i;

/** One configuration object in the full format [OBI-AG] [FPBX]; the path ends with a dot. */
function object(path: string, params: Params): XmlElement {
  const structs = params.map(([name, value]) => el('ParameterValueStruct', [el('Name', name), el('Value', String(value))]));
  return el('Object', [el('Name', path), ...structs]);
}

/** ITSP Profile A, B, … (letter) for line n. */
function profileLetter(lineNo: number): string {
  return String.fromCharCode(64 + lineNo);
}

/** ITSP Profile n – SIP: VoiceService.1.VoiceProfile.n.SIP. [POLY-DG] [OBICFG] [FPBX]. */
function itspProfile(line: SipLine): XmlElement {
  const reg = registration(line);
  return object(`VoiceService.1.VoiceProfile.${line.lineNo}.SIP.`, [
    ['ProxyServer', reg.domain],
    ['ProxyServerPort', line.proxyPort],
    ['ProxyServerTransport', line.transport.toUpperCase()],
    ['RegistrarServer', reg.domain],
    ['RegistrarServerPort', line.proxyPort],
    ['OutboundProxy', reg.proxy?.host ?? ''],
    ['OutboundProxyPort', reg.proxy?.port ?? ''],
    // UNCONFIRMED: RegistrationPeriod is an ITSP-profile parameter [POLY-DG: "ProxyServer and
    // RegistrationPeriod … SP-specific parameters"]; no source shows it in the .SIP. object (FusionPBX
    // writes the TR-104 name RegisterExpires there instead).
    ['RegistrationPeriod', line.registerExpires],
  ]);
}

/** SPn Service, its SIP Credentials and Calling Features: VoiceService.1.VoiceProfile.1.Line.n. [OBI-AG] [POLY-DG] [OBICFG]. */
function spService(line: SipLine): XmlElement[] {
  const sp = `VoiceService.1.VoiceProfile.1.Line.${line.lineNo}.`;
  return [
    object(sp, [['Enable', 'true'], ['X_ServProvProfile', profileLetter(line.lineNo)]]),
    object(`${sp}SIP.`, [['AuthUserName', line.username], ['AuthPassword', line.password], ['URI', line.username]]),
    object(`${sp}CallingFeatures.`, [['CallerIDName', line.displayName]]),
  ];
}

/**
 * PHONE port n's PrimaryLine, value "SPn Service" [OBICFG]. UNCONFIRMED: the object path. [OBICFG] names
 * the PHONE port's web page VS_1_X_FXS_1_, which by the naming of the SP pages (VS_1_VP_1_L_2_ = VoiceService.1.
 * VoiceProfile.1.Line.2.) is VoiceService.1.X_FXS.1.; page IDs do not always spell the object (Ring Profile A
 * is VS_1_VP_1_L_1_R_), no provisioning file with this object was found, nor PHONE2's index on an OBi202.
 */
function phonePort(line: SipLine): XmlElement {
  return object(`VoiceService.1.X_FXS.${line.lineNo}.`, [['PrimaryLine', `SP${line.lineNo} Service`]]);
}

/** LocalTimeZone: written as a POSIX TZ string (see the UNCONFIRMED note in parameterList). */
export function obihaiTimeZone(zone: string, year: number): string {
  return posixTz(zoneRules(zone, year));
}

function parameterList(config: DeviceConfig, lines: SipLine[], year: number): string {
  return xmlDocument(
    el('ParameterList', [
      // UNCONFIRMED: the object paths of the time, web admin and ITSP-provisioning settings. [OBI-AG] page 39
      // names NTPServer1/2 and LocalTimeZone but shows neither their object nor LocalTimeZone's value form,
      // and keeps DST in separate DaylightSavingTime{Enable,Start,End,Diff} parameters, so a POSIX string in
      // LocalTimeZone may be refused; [OBICFG] puts NTP and time zone on page DI_NS_ and the admin password on
      // DM_MISC_, which hints at other objects than the two below. Confirmed: X_DeviceManagement.ITSPProvisioning.
      // with Method, Interval and ConfigURL (OBi1032 admin guide, 2017, page 237: manualshive.com/en/manual/
      // obihai-technology/obi1032/3151346?page=237), also named by an OBi parameter-store dump tool (SPRMn).
      object('X_DeviceManagement.TimeSettings.', [
        ['LocalTimeZone', obihaiTimeZone(config.timezone, year)],
        ['NTPServer1', config.ntpServers[0] ?? 'pool.ntp.org'],
        ['NTPServer2', config.ntpServers[1] ?? ''],
      ]),
      object('X_DeviceManagement.WebServer.', [['AdminPassword', config.adminPassword]]),
      object('X_DeviceManagement.ITSPProvisioning.', [['ConfigURL', `${config.provisioningUrl}/obi$MAC.xml`]]),
      ...lines.flatMap((line) => [itspProfile(line), ...spService(line), phonePort(line)]),
    ]),
  );
}

export const obihai: VendorModule = {
  vendor: 'obihai',
  models: contractModels(OBIHAI_MODELS),
  resyncEvent: 'check-sync',

  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent.trim());
    return m?.[1] ? { model: m[1].toUpperCase().replace('OBI', 'OBi'), firmware: m[2] } : undefined;
  },

  matchPath(fileName) {
    const m = /^obi([0-9a-fA-F]{12})\.xml$/i.exec(fileName);
    return m?.[1] ? { mac: m[1].toLowerCase() } : undefined;
  },

  supportScore: (model) => supportScoreIn(OBIHAI_MODELS, model),

  render(config, now) {
    const model = findModel(OBIHAI_MODELS, config.model)?.[1] ?? OBIHAI_MODELS.OBI202!;
    const body = parameterList(config, linesInOrder(config, model.lines), renderYear(now));
    return new Map<string, RenderedFile>([[`obi${config.mac}.xml`, file(XML, body, true)]]);
  },
};
