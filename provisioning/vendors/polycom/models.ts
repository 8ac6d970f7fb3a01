// Poly/Polycom VVX models: registrations (line keys) and BLF capacity.
import type { ModelFacts } from '../../module-kit.js';

export const POLYCOM_MODELS: Readonly<Record<string, ModelFacts>> = {
  VVX150: { kind: 'phone', lines: 2, functionKeys: 0, support: 2 },
  VVX250: { kind: 'phone', lines: 4, functionKeys: 4, support: 2 },
  VVX350: { kind: 'phone', lines: 6, functionKeys: 6, support: 2 },
  VVX411: { kind: 'phone', lines: 12, functionKeys: 12, support: 3 },
  VVX450: { kind: 'phone', lines: 12, functionKeys: 12, support: 3 },
  VVX501: { kind: 'phone', lines: 12, functionKeys: 12, support: 2 },
  VVX601: { kind: 'phone', lines: 16, functionKeys: 16, support: 2 },
};

/** lcl.ml.lang values by primary language subtag. */
export const POLYCOM_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English_United_States',
  de: 'German_Germany',
  fr: 'French_France',
  es: 'Spanish_Spain',
  it: 'Italian_Italy',
  nl: 'Dutch_Netherlands',
  pt: 'Portuguese_Portugal',
};
