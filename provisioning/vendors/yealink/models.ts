// Yealink models callplane provisions: accounts, line keys and the hardware ID
// that names the model family's common file (y000000000<id>.cfg).
import type { ModelFacts } from '../../module-kit.js';

export interface YealinkModel extends ModelFacts {
  /** Three-digit hardware ID in the common file name, e.g. 108 for the T4xU family. */
  hardwareId: string;
}

export const YEALINK_MODELS: Readonly<Record<string, YealinkModel>> = {
  T27G: { kind: 'phone', lines: 6, functionKeys: 21, hardwareId: '069', support: 2 },
  T41S: { kind: 'phone', lines: 6, functionKeys: 15, hardwareId: '068', support: 2 },
  T42S: { kind: 'phone', lines: 12, functionKeys: 15, hardwareId: '067', support: 2 },
  T46S: { kind: 'phone', lines: 16, functionKeys: 27, hardwareId: '066', support: 3 },
  T48S: { kind: 'phone', lines: 16, functionKeys: 29, hardwareId: '065', support: 2 },
  T42U: { kind: 'phone', lines: 12, functionKeys: 15, hardwareId: '116', support: 2 },
  T43U: { kind: 'phone', lines: 12, functionKeys: 15, hardwareId: '107', support: 2 },
  T46U: { kind: 'phone', lines: 16, functionKeys: 27, hardwareId: '108', support: 3 },
  T48U: { kind: 'phone', lines: 16, functionKeys: 29, hardwareId: '109', support: 2 },
  T53W: { kind: 'phone', lines: 12, functionKeys: 21, hardwareId: '095', support: 2 },
  T54W: { kind: 'phone', lines: 16, functionKeys: 27, hardwareId: '096', support: 3 },
  T57W: { kind: 'phone', lines: 16, functionKeys: 29, hardwareId: '097', support: 2 },
};

/** Yealink's own time zone names (local_time.time_zone_name); zones not listed get explicit DST rules. */
export const YEALINK_ZONE_NAMES: Readonly<Record<string, string>> = {
  'Europe/Berlin': 'Germany(Berlin)',
  'Europe/Vienna': 'Germany(Berlin)',
  'Europe/Zurich': 'Germany(Berlin)',
  'Europe/Paris': 'France(Paris)',
  'Europe/Madrid': 'Spain(Madrid)',
  'Europe/Amsterdam': 'Netherlands(Amsterdam)',
  'Europe/London': 'United Kingdom(London)',
  'America/New_York': 'United States-Eastern Time',
  'America/Chicago': 'United States-Central Time',
  'America/Denver': 'United States-Mountain Time',
  'America/Los_Angeles': 'United States-Pacific Time',
  'Asia/Kolkata': 'India(Calcutta)',
};

/** lang.gui / lang.wui values by primary language subtag. */
export const YEALINK_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  pl: 'Polish',
};
