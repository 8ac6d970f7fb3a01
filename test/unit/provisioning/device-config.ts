// The fixed device description every vendor test renders: two lines (one over
// TLS through a separate edge, one UDP straight to the realm), a BLF key, a
// speed dial and a display name that needs XML escaping. And how an OBi reads
// its full-format XML back: one parameter per object path + name.
import { type DeviceConfig, type DeviceConfigInput, deviceConfig } from '../../../provisioning/index.js';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const TRICKY_NAME = 'Ann & "Bob" <x>';

export function sampleConfig(vendor: string, model: string, overrides: Partial<DeviceConfigInput> = {}): DeviceConfig {
  return deviceConfig.parse({
    mac: '001565aabbcc',
    vendor,
    model,
    label: 'Front desk',
    lines: [
      {
        lineNo: 1, displayName: TRICKY_NAME, label: 'Ann', username: 'acme-201', password: 'p&ss<1>',
        realm: 'acme.callplane.example', proxyHost: 'edge.callplane.example', proxyPort: 5061, transport: 'tls',
        voicemailNumber: '*97', registerExpires: 1800,
      },
      {
        lineNo: 2, displayName: 'Sales', label: 'Sales', username: 'acme-202', password: 'second-pw',
        realm: 'acme.callplane.example', proxyHost: 'acme.callplane.example', proxyPort: 5060, transport: 'udp',
      },
    ],
    timezone: 'Europe/Berlin',
    ntpServers: ['ntp1.callplane.example', 'ntp2.callplane.example'],
    language: 'de-DE',
    codecs: ['G722', 'PCMA', 'PCMU'],
    functionKeys: [
      { kind: 'blf', position: 3, label: 'Bob', extension: '203', lineNo: 1 },
      { kind: 'speed_dial', position: 4, label: 'Pizza', number: '+4930123456', lineNo: 2 },
    ],
    adminPassword: 'adm1n-Secret',
    provisioningUrl: 'https://prov.callplane.example/p/k3y',
    ...overrides,
  });
}

/** An Obihai ParameterList (parsed by fast-xml-parser) as `object path + parameter name → value`. */
export function obihaiParameters(list: { Object: { Name: string; ParameterValueStruct: unknown }[] }): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of list.Object) {
    for (const p of [o.ParameterValueStruct].flat() as { Name: string; Value: unknown }[]) out.set(`${o.Name}${p.Name}`, String(p.Value));
  }
  return out;
}
