// Vendor values confirmed or corrected against the vendors' own templates and
// guides (sources in provisioning/README.md): each case is a setting a device
// would act on, read back from the rendered file the way the device parses it.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { type DeviceConfigInput, vendorModule } from '../../../provisioning/index.js';
import { mpk } from '../../../provisioning/vendors/grandstream/p-values.js';
import { NOW, obihaiParameters, sampleConfig } from './device-config.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

function body(vendor: string, model: string, overrides: Partial<DeviceConfigInput> = {}): string {
  const files = vendorModule(vendor)!.render(sampleConfig(vendor, model, overrides), NOW);
  return [...files.values()][0]!.body;
}

function line(lineNo: number, transport: 'udp' | 'tcp' | 'tls', proxyHost = 'acme.callplane.example'): NonNullable<DeviceConfigInput['lines']>[number] {
  return {
    lineNo, displayName: `User ${lineNo}`, label: `L${lineNo}`, username: `acme-2${lineNo}0`, password: `pw-${lineNo}`,
    realm: 'acme.callplane.example', proxyHost, proxyPort: transport === 'tls' ? 5061 : 5060, transport, registerExpires: 600,
  };
}

function gsConfig(model: string, overrides: Partial<DeviceConfigInput> = {}): Record<string, string> {
  return xml.parse(body('grandstream', model, overrides)).gs_provision.config;
}

describe('Grandstream GXP21xx/GRP261x accounts 2–6', () => {
  it('account 2 over TCP through the edge: transport P448=1, outbound proxy P403, expiry P412 in minutes', () => {
    const p = gsConfig('GXP2160', { lines: [line(1, 'udp'), line(2, 'tcp', 'edge.callplane.example')] });
    expect(p).toMatchObject({ P448: '1', P403: 'edge.callplane.example:5060', P412: '10', P402: 'acme.callplane.example:5060' });
  });

  const BLOCKS: Array<[lineNo: number, active: string, user: string, transport: string]> = [
    [3, 'P501', 'P504', 'P548'],
    [4, 'P601', 'P604', 'P648'],
    [5, 'P1701', 'P1704', 'P1748'],
    [6, 'P1801', 'P1804', 'P1848'],
  ];
  for (const [lineNo, active, user, transport] of BLOCKS) {
    it(`account ${lineNo} (TLS) lands in its own block: ${active}, user ${user}, transport ${transport}=2`, () => {
      const p = gsConfig('GRP2616', { lines: [line(lineNo, 'tls')] });
      expect(p).toMatchObject({ [active]: '1', [user]: `acme-2${lineNo}0`, [transport]: '2' });
    });
  }

  it('accounts 5 and 6 no longer write the P7xx/P8xx numbers that belong to other settings', () => {
    const p = gsConfig('GXP2160', { lines: [line(5, 'udp'), line(6, 'udp')] });
    expect(Object.keys(p).filter((k) => /^P[78]\d\d$/.test(k))).toEqual([]);
  });
});

describe('Grandstream multi-purpose keys are the phone keys (P323/P301…), not the extension board (P23000…)', () => {
  const TABLE: Array<[position: number, mode: string, account: string, name: string, value: string]> = [
    [1, 'P323', 'P301', 'P302', 'P303'],
    [2, 'P324', 'P304', 'P305', 'P306'],
    [7, 'P329', 'P319', 'P320', 'P321'],
    [8, 'P353', 'P354', 'P355', 'P356'],
    [18, 'P393', 'P394', 'P395', 'P396'],
    [19, 'P1440', 'P1441', 'P1442', 'P1443'],
    [24, 'P1460', 'P1461', 'P1462', 'P1463'],
  ];
  for (const [position, mode, account, name, value] of TABLE) {
    it(`MPK ${position}: mode ${mode}, account ${account}, name ${name}, value ${value}`, () => {
      expect(mpk(position)).toEqual({ mode, account, name, value });
    });
  }

  it('there is no MPK 25', () => {
    expect(mpk(25)).toBeUndefined();
  });

  it('a GRP2614 BLF on key 19 for account 2 renders mode 1 at P1440 and account index 1 at P1441', () => {
    const p = gsConfig('GRP2614', { functionKeys: [{ kind: 'blf', position: 19, label: 'Eve', extension: '219', lineNo: 2 }] });
    expect(p).toMatchObject({ P1440: '1', P1441: '1', P1442: 'Eve', P1443: '219' });
  });
});

describe('Snom dst rule (zones without a snom name)', () => {
  function phoneSettings(timezone: string): Record<string, { '#text'?: string }> {
    return xml.parse(body('snom', 'D785', { timezone })).settings['phone-settings'];
  }

  it('Lisbon: last (05) Sunday (07) of March 01:00 to last Sunday of October 02:00, two digits each', () => {
    const s = phoneSettings('Europe/Lisbon');
    expect(s.dst?.['#text']).toBe('3600 03.05.07 01:00:00 10.05.07 02:00:00');
    expect(s.utc_offset?.['#text']).toBe('0');
  });

  it('the named timezone is cleared so a stale name cannot override the rule', () => {
    const s = phoneSettings('Australia/Sydney');
    expect(s.timezone).toMatchObject({ perm: 'R' });
    expect(s.timezone?.['#text']).toBeUndefined();
    expect(s.dst?.['#text']).toBe('3600 10.01.07 02:00:00 04.01.07 03:00:00');
  });
});

describe('Obihai full-format XML: SPn is VoiceProfile.1.Line.n, ITSP profile n is VoiceProfile.n', () => {
  function params(overrides: Partial<DeviceConfigInput> = {}): Map<string, string> {
    const doc = xml.parse(body('obihai', 'OBi202', overrides)).ParameterList;
    expect(Object.keys(doc)).toEqual(['Object']);
    return obihaiParameters(doc);
  }

  it('SP2 over TCP: credentials under Line.2, bound to ITSP profile B, whose transport is TCP', () => {
    const p = params({ lines: [line(1, 'udp'), line(2, 'tcp')] });
    expect(p.get('VoiceService.1.VoiceProfile.1.Line.2.SIP.AuthUserName')).toBe('acme-220');
    expect(p.get('VoiceService.1.VoiceProfile.1.Line.2.SIP.AuthPassword')).toBe('pw-2');
    expect(p.get('VoiceService.1.VoiceProfile.1.Line.2.X_ServProvProfile')).toBe('B');
    expect(p.get('VoiceService.1.VoiceProfile.2.SIP.ProxyServerTransport')).toBe('TCP');
    expect(p.get('VoiceService.1.VoiceProfile.1.Line.1.X_ServProvProfile')).toBe('A');
    expect(p.get('VoiceService.1.VoiceProfile.1.SIP.ProxyServerTransport')).toBe('UDP');
  });

  it('nothing is written under the old per-line VoiceProfile.2.Line.1 paths', () => {
    const p = params();
    expect([...p.keys()].filter((k) => k.startsWith('VoiceService.1.VoiceProfile.2.Line.'))).toEqual([]);
  });
});
