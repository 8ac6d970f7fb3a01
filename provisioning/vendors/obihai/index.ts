// Obihai OBi2xx/3xx: an XML parameter list in the TR-104 naming the OBi uses
// (VoiceService.1.VoiceProfile.N = service provider SPN). The device fetches
// obi<MAC>.xml from the ITSP provisioning URL set with the $MAC macro.
import type { DeviceConfig, RenderedFile, SipLine, VendorModule } from '../../contract.js';
import { contractModels, findModel, registration, renderYear, supportScoreIn } from '../../module-kit.js';
import { type XmlElement, el, file, linesInOrder, xmlDocument } from '../../render.js';
import { posixTz, zoneRules } from '../../timezone.js';
import { OBIHAI_MODELS } from './models.js';

type Params = Array<[string, string | number]>;
const XML = 'application/xml; charset=utf-8';

// "OBIHAI/OBi202-3.2.2.5921"
const UA = /^OBIHAI\/(OBi\w+)-([\d.]+)/i;

function object(name: string, params: Params): XmlElement {
  return el('O', params.map(([k, v]) => el('P', [el('v', String(v))], { n: k })), { n: name });
}

function serviceProvider(line: SipLine): XmlElement[] {
  const sp = `VoiceService.1.VoiceProfile.${line.lineNo}`;
  const reg = registration(line);
  return [
    object(`${sp}.SIP.`, [
      ['RegistrarServer', reg.domain],
      ['RegistrarServerPort', line.proxyPort],
      ['ProxyServer', reg.domain],
      ['ProxyServerPort', line.proxyPort],
      ['ProxyServerTransport', line.transport.toUpperCase()],
      ['OutboundProxy', reg.proxy?.host ?? ''],
      ['OutboundProxyPort', reg.proxy?.port ?? ''],
      ['RegistrationPeriod', line.registerExpires],
    ]),
    object(`${sp}.Line.1.`, [['Enable', 'true']]),
    object(`${sp}.Line.1.SIP.`, [['AuthUserName', line.username], ['AuthPassword', line.password], ['URI', line.username]]),
    object(`${sp}.Line.1.CallingFeatures.`, [['CallerIDName', line.displayName]]),
    object(`VoiceService.1.PhonePort.${line.lineNo}.`, [['PrimaryLine', `SP${line.lineNo} Service`]]),
  ];
}

/** LocalTimeZone: the OBi takes a POSIX TZ string. */
export function obihaiTimeZone(zone: string, year: number): string {
  return posixTz(zoneRules(zone, year));
}

function parameterList(config: DeviceConfig, lines: SipLine[], year: number): string {
  return xmlDocument(
    el('ParameterList', [
      object('X_DeviceManagement.TimeSettings.', [
        ['LocalTimeZone', obihaiTimeZone(config.timezone, year)],
        ['NTPServer1', config.ntpServers[0] ?? 'pool.ntp.org'],
        ['NTPServer2', config.ntpServers[1] ?? ''],
      ]),
      object('X_DeviceManagement.WebServer.', [['AdminPassword', config.adminPassword]]),
      object('X_DeviceManagement.ITSPProvisioning.', [['ConfigURL', `${config.provisioningUrl}/obi$MAC.xml`]]),
      ...lines.flatMap(serviceProvider),
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
