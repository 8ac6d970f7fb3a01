// Rendered files read back the way a device would (XML through
// fast-xml-parser, key/value lines split) and checked field by field: every
// line's credentials, server, transport, the BLF and speed-dial keys, the zone.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { vendorModule } from '../../../provisioning/index.js';
import { NOW, TRICKY_NAME, obihaiParameters, sampleConfig } from './device-config.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

function render(vendor: string, model: string, zone = 'Europe/Berlin'): Map<string, string> {
  const files = vendorModule(vendor)!.render(sampleConfig(vendor, model, { timezone: zone }), NOW);
  return new Map([...files].map(([k, v]) => [k, v.body]));
}

function keyValues(body: string, separator: RegExp): Record<string, string> {
  return Object.fromEntries(body.split('\n').flatMap((l) => {
    const m = separator.exec(l);
    return m?.[1] ? [[m[1].trim(), m[2] ?? '']] : [];
  }));
}

describe('parsed back field by field', () => {
  it('Yealink: accounts, transports, keys, zone, admin password', () => {
    const kv = keyValues(render('yealink', 'T46U').get('001565aabbcc.cfg')!, /^([^#=]+?) = (.*)$/);
    expect(kv).toMatchObject({
      'account.1.display_name': TRICKY_NAME, 'account.1.user_name': 'acme-201', 'account.1.password': 'p&ss<1>',
      'account.1.sip_server.1.transport_type': '2', 'account.1.outbound_proxy.1.address': 'edge.callplane.example',
      'account.2.user_name': 'acme-202', 'account.2.sip_server.1.transport_type': '0', 'account.2.sip_server.1.port': '5060',
      'linekey.3.type': '16', 'linekey.3.value': '203', 'linekey.4.type': '13', 'linekey.4.value': '+4930123456', 'linekey.4.line': '2',
      'local_time.time_zone': '+1', 'static.security.user_password': 'admin:adm1n-Secret',
    });
  });

  it('Poly: registrations, BLF resource list, SNTP offset', () => {
    const doc = xml.parse(render('polycom', 'VVX450', 'America/New_York').get('001565aabbcc-callplane.cfg')!);
    const c = doc.polycomConfig;
    expect(c.reg).toMatchObject({ 'reg.1.displayName': TRICKY_NAME, 'reg.1.auth.password': 'p&ss<1>', 'reg.1.server.1.transport': 'TLS', 'reg.2.auth.userId': 'acme-202', 'reg.2.server.1.transport': 'UDPOnly' });
    expect(c.attendant).toMatchObject({ 'attendant.resourceList.1.address': '203', 'attendant.resourceList.1.label': 'Bob' });
    expect(c.tcpIpApp['tcpIpApp.sntp.gmtOffset']).toBe('-18000');
    const master = xml.parse(render('polycom', 'VVX450').get('001565aabbcc.cfg')!);
    expect(master.APPLICATION.CONFIG_FILES).toBe('001565aabbcc-callplane.cfg');
  });

  it('Grandstream HT802: one account per FXS port, port 2 in its own P-values', () => {
    const p = xml.parse(render('grandstream', 'HT802').get('cfg001565aabbcc.xml')!).gs_provision.config;
    expect(p).toMatchObject({ P35: 'acme-201', P34: 'p&ss<1>', P3: TRICKY_NAME, P130: '2', P48: 'edge.callplane.example:5061' });
    expect(p).toMatchObject({ P401: '1', P747: 'acme.callplane.example:5060', P735: 'acme-202', P736: 'acme-202', P734: 'second-pw', P703: 'Sales', P830: '0' });
    expect(p.P64).toBe('CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00');
  });

  it('Grandstream GXP: account 2 block and multi-purpose keys', () => {
    const p = xml.parse(render('grandstream', 'GXP2160').get('cfg001565aabbcc.xml')!).gs_provision.config;
    expect(p).toMatchObject({ P270: 'Ann', P401: '1', P404: 'acme-202', P406: 'second-pw', P417: 'Sales', P448: '0' });
    // MPK 3 (BLF) and MPK 4 (speed dial on account 2): mode P325/P326, account, name, value P307… / P310…
    expect(p).toMatchObject({ P325: '1', P307: '0', P308: 'Bob', P309: '203', P326: '0', P310: '1', P311: 'Pizza', P312: '+4930123456' });
    expect(Object.keys(p).filter((k) => k.startsWith('P230'))).toEqual([]);
  });

  it('Grandstream HT814: ports share profile 1 and carry their own credentials', () => {
    const p = xml.parse(render('grandstream', 'HT814').get('cfg001565aabbcc.xml')!).gs_provision.config;
    expect(p).toMatchObject({ P47: 'acme.callplane.example:5061', P4060: 'acme-201', P4120: 'p&ss<1>', P4061: 'acme-202', P4121: 'second-pw', P4181: 'Sales' });
  });

  it('Cisco SPA112: both ports, transports, time zone rule, web admin password', () => {
    const doc = xml.parse(render('cisco', 'SPA112').get('spa001565aabbcc.cfg')!)['flat-profile'];
    const v = (k: string): string => doc[k]['#text'] ?? '';
    expect([v('User_ID_1_'), v('Password_1_'), v('Display_Name_1_'), v('SIP_Transport_1_'), v('Outbound_Proxy_1_')]).toEqual(['acme-201', 'p&ss<1>', TRICKY_NAME, 'TLS', 'edge.callplane.example:5061']);
    expect([v('User_ID_2_'), v('Password_2_'), v('SIP_Transport_2_'), v('Use_Outbound_Proxy_2_')]).toEqual(['acme-202', 'second-pw', 'UDP', 'No']);
    expect([v('Time_Zone'), v('Daylight_Saving_Time_Rule'), v('Web_Login_Admin_Password')]).toEqual(['GMT+01:00', 'start=3/-1/7/2;end=10/-1/7/3;save=1', 'adm1n-Secret']);
    expect(doc.Admin_Passwd).toBeUndefined();
  });

  it('Obihai: SP1/SP2 credentials, their ITSP profiles and a POSIX zone', () => {
    const doc = xml.parse(render('obihai', 'OBi202').get('obi001565aabbcc.xml')!).ParameterList;
    const params = obihaiParameters(doc);
    expect(params.get('X_DeviceManagement.TimeSettings.LocalTimeZone')).toBe('CET-1CEST,M3.5.0,M10.5.0/3');
    expect(params.get('VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword')).toBe('p&ss<1>');
    expect(params.get('VoiceService.1.VoiceProfile.1.Line.1.CallingFeatures.CallerIDName')).toBe(TRICKY_NAME);
    expect(params.get('VoiceService.1.VoiceProfile.1.SIP.ProxyServerTransport')).toBe('TLS');
    expect(params.get('VoiceService.1.VoiceProfile.1.Line.2.SIP.AuthUserName')).toBe('acme-202');
    expect(params.get('VoiceService.1.VoiceProfile.1.Line.2.X_ServProvProfile')).toBe('B');
    expect(params.get('VoiceService.1.VoiceProfile.2.SIP.ProxyServerPort')).toBe('5060');
    expect(params.get('VoiceService.1.X_FXS.2.PrimaryLine')).toBe('SP2 Service');
  });

  it('Snom: identities by idx, BLF fkey, named zone', () => {
    const s = xml.parse(render('snom', 'D785').get('snomD785-001565AABBCC.htm')!).settings;
    const by = (name: string, idx: string): string => [s['phone-settings'][name]].flat().find((e: any) => e.idx === idx)['#text'];
    expect([by('user_name', '1'), by('user_pass', '1'), by('user_realname', '1'), by('user_outbound', '1')]).toEqual(['acme-201', 'p&ss<1>', TRICKY_NAME, 'edge.callplane.example:5061;transport=tls']);
    expect([by('user_name', '2'), by('user_host', '2')]).toEqual(['acme-202', 'acme.callplane.example']);
    expect(s['phone-settings'].timezone['#text']).toBe('GER+1');
    expect(s.functionKeys.fkey[0]).toMatchObject({ idx: '2', label: 'Bob', '#text': 'blf <sip:203@acme.callplane.example>' });
  });

  it('Fanvil: SIP lines, transport codes, DSS keys', () => {
    const kv = keyValues(render('fanvil', 'X4U').get('001565aabbcc.cfg')!, /^([^<:][^:]*):(.*)$/);
    expect(kv).toMatchObject({
      'SIP1 Register User': 'acme-201', 'SIP1 Register Pswd': 'p&ss<1>', 'SIP1 Transport': '3', 'SIP1 Proxy Addr': 'edge.callplane.example',
      'SIP2 Register User': 'acme-202', 'SIP2 Transport': '0', 'Fkey3 Value': '203@1/ba', 'Fkey4 Value': '+4930123456@2/f', 'Time Zone': '4',
    });
  });
});
