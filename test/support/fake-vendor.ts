// TEST DOUBLE — not a real vendor module. A minimal Yealink-like module (the
// real ones live in provisioning/) so the provisioning service's tests can run
// on their own: `<mac>.cfg` holds the passwords (sensitive), `y000000000000.cfg`
// is a common file, the User-Agent carries the MAC, `<mac>-app.log` may be
// uploaded. Its output is plain `key = value` lines the tests can read.
import type { DeviceConfig, RenderedFile, VendorModule } from '../../provisioning/contract.js';
import type { VendorRegistry } from '../../server/provisioning/index.js';

const UA = /^Yealink SIP-(\S+) (\S+) ((?:[0-9a-f]{2}:){5}[0-9a-f]{2})$/i;

function deviceFile(c: DeviceConfig): RenderedFile {
  const lines = c.lines.flatMap((l) => [
    `account.${l.lineNo}.label = ${l.label}`,
    `account.${l.lineNo}.display_name = ${l.displayName}`,
    `account.${l.lineNo}.user_name = ${l.username}`,
    `account.${l.lineNo}.password = ${l.password}`,
    `account.${l.lineNo}.sip_server = ${l.proxyHost}:${l.proxyPort};transport=${l.transport};realm=${l.realm}`,
  ]);
  const keys = c.functionKeys.map((k) => `linekey.${k.position} = ${k.kind} ${k.label} ${k.kind === 'blf' ? k.extension : k.number}`);
  const body = [
    ...lines,
    ...keys,
    `timezone = ${c.timezone}`,
    `language = ${c.language}`,
    `codecs = ${c.codecs.join(',')}`,
    `admin_password = ${c.adminPassword}`,
    `provisioning_url = ${c.provisioningUrl}`,
  ].join('\n');
  return { contentType: 'text/plain', body: `${body}\n`, sensitive: true };
}

export const fakeYealink: VendorModule = {
  vendor: 'yealink',
  models: { T46U: { lines: 16, kind: 'phone', functionKeys: 27 } },
  parseUserAgent(userAgent) {
    const m = UA.exec(userAgent);
    if (!m) return undefined;
    const mac = m[3]!.replace(/:/g, '').toLowerCase();
    return { model: m[1], firmware: m[2], mac, userAgentMac: mac };
  },
  matchPath(fileName) {
    if (fileName === 'y000000000000.cfg') return {};
    const m = /^([0-9a-f]{12})\.cfg$/.exec(fileName);
    return m ? { mac: m[1] } : undefined;
  },
  supportScore: (model) => (model === 'T46U' ? 3 : 0),
  render(config) {
    const common: RenderedFile = { contentType: 'text/plain', body: `static.auto_provision.server.url = ${config.provisioningUrl}\n`, sensitive: false };
    return new Map([
      [`${config.mac}.cfg`, deviceFile(config)],
      ['y000000000000.cfg', common],
    ]);
  },
  acceptsUpload(fileName) {
    const m = /^([0-9a-f]{12})-app\.log$/.exec(fileName);
    return m ? { mac: m[1] } : undefined;
  },
  resyncEvent: 'check-sync;reboot=false',
};

/** The registry the service takes, with only the test double in it. */
export const fakeVendors: VendorRegistry = {
  identify(fileName, userAgent) {
    const path = fakeYealink.matchPath(fileName);
    const ua = fakeYealink.parseUserAgent(userAgent);
    if (!path && !ua) return undefined;
    return { module: fakeYealink, mac: path?.mac, userAgentMac: ua?.userAgentMac, model: ua?.model, firmware: ua?.firmware };
  },
  module: (vendor) => (vendor === 'yealink' ? fakeYealink : undefined),
};
