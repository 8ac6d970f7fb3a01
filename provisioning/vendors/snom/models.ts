// Snom desk phones: identities (lines) and function keys.
import type { ModelFacts } from '../../module-kit.js';

export const SNOM_MODELS: Readonly<Record<string, ModelFacts>> = {
  D315: { kind: 'phone', lines: 4, functionKeys: 5, support: 2 },
  D345: { kind: 'phone', lines: 12, functionKeys: 48, support: 2 },
  D385: { kind: 'phone', lines: 12, functionKeys: 48, support: 2 },
  D715: { kind: 'phone', lines: 4, functionKeys: 5, support: 2 },
  D735: { kind: 'phone', lines: 12, functionKeys: 32, support: 2 },
  D785: { kind: 'phone', lines: 12, functionKeys: 24, support: 3 },
};

/** Snom's named zones (<timezone>); other zones get utc_offset and an explicit dst rule. */
export const SNOM_ZONE_NAMES: Readonly<Record<string, string>> = {
  'Europe/Berlin': 'GER+1',
  'Europe/Vienna': 'GER+1',
  'Europe/Paris': 'FRA+1',
  'Europe/Madrid': 'ESP+1',
  'Europe/Amsterdam': 'NLD+1',
  'Europe/London': 'GBR-0',
  'America/New_York': 'USA-5',
  'America/Chicago': 'USA-6',
  'America/Denver': 'USA-7',
  'America/Los_Angeles': 'USA-8',
  'Asia/Kolkata': 'IND+5.5',
};

export const SNOM_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Francais',
  es: 'Espanol',
  it: 'Italiano',
  nl: 'Nederlands',
  pt: 'Portugues',
};
