// Fanvil X-series desk phones: SIP lines and DSS/function keys.
import type { ModelFacts } from '../../module-kit.js';

export const FANVIL_MODELS: Readonly<Record<string, ModelFacts>> = {
  X3U: { kind: 'phone', lines: 6, functionKeys: 3, support: 2 },
  X4U: { kind: 'phone', lines: 12, functionKeys: 30, support: 3 },
  X5U: { kind: 'phone', lines: 16, functionKeys: 30, support: 2 },
  X6U: { kind: 'phone', lines: 20, functionKeys: 60, support: 2 },
  X7: { kind: 'phone', lines: 20, functionKeys: 30, support: 2 },
};

/** Language codes of the GLOBAL CONFIG MODULE. */
export const FANVIL_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'en',
  de: 'de',
  fr: 'fr',
  es: 'es',
  it: 'it',
  nl: 'nl',
  pt: 'pt',
};
