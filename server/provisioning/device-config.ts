// Builds the vendor-neutral description of one device (provisioning/contract.ts)
// from database rows: lines → subaccount SIP user and password in the account's
// realm, SIP proxy from config, timezone from the account. Pure: passwords come
// already opened, `provisioningUrl` is given.
import { type DeviceConfig, type DeviceConfigInput, codec, deviceConfig, functionKey } from '../../provisioning/contract.js';
import type { ProvisioningConfig } from '../config.js';

export interface LineSource {
  lineNo: number;
  sipUser: string;
  sipPassword: string;
  name: string;
  callerIdName: string | null;
  extension: string;
}

export interface DeviceSettings {
  adminPassword: string;
  language: string;
  codecs: string[];
  functionKeys: unknown;
  lineLabels: unknown;
}

export interface ConfigSource {
  device: { mac: string; vendor: string; model: string; label: string };
  account: { realm: string; timezone: string };
  lines: LineSource[];
  settings: DeviceSettings;
  provisioningUrl: string;
}

type Labels = Record<string, { displayName?: string; label?: string } | undefined>;

export function buildDeviceConfig(source: ConfigSource, sip: ProvisioningConfig['sip']): DeviceConfig {
  const labels = (source.settings.lineLabels ?? {}) as Labels;
  const lines = [...source.lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((l) => ({
      lineNo: l.lineNo,
      displayName: labels[String(l.lineNo)]?.displayName ?? l.callerIdName ?? l.name,
      label: labels[String(l.lineNo)]?.label ?? l.extension,
      username: l.sipUser,
      password: l.sipPassword,
      realm: source.account.realm,
      proxyHost: sip.host ?? source.account.realm,
      proxyPort: sip.port,
      transport: sip.transport,
    }));
  const digits = Math.max(0, ...source.lines.map((l) => l.extension.length));
  const input: DeviceConfigInput = {
    mac: source.device.mac,
    vendor: source.device.vendor,
    model: source.device.model,
    label: source.device.label,
    lines,
    timezone: source.account.timezone,
    language: source.settings.language,
    codecs: source.settings.codecs.filter((c) => codec.safeParse(c).success) as DeviceConfig['codecs'],
    functionKeys: functionKey.array().catch([]).parse(source.settings.functionKeys),
    adminPassword: source.settings.adminPassword,
    provisioningUrl: source.provisioningUrl,
    extensionDigits: Math.min(8, Math.max(2, digits || 3)),
  };
  return deviceConfig.parse(input);
}

/** The description rendered for files that name no device (a vendor's common files): no lines, no passwords. */
export function accountConfig(account: ConfigSource['account'], vendor: string, provisioningUrl: string): DeviceConfig {
  return deviceConfig.parse({
    mac: '000000000000',
    vendor,
    model: '',
    label: '',
    lines: [],
    timezone: account.timezone,
    adminPassword: '',
    provisioningUrl,
  });
}
