// Grandstream models: GXP/GRP phones (one P-value block per account), HT80x
// ATAs (a full account per FXS port) and HT81x ATAs (ports share SIP profile 1,
// each port has its own user id and password).
import type { ModelFacts } from '../../module-kit.js';

export interface GrandstreamModel extends ModelFacts {
  layout: 'phone' | 'ht80x' | 'ht81x';
}

export const GRANDSTREAM_MODELS: Readonly<Record<string, GrandstreamModel>> = {
  GXP2130: { kind: 'phone', layout: 'phone', lines: 3, functionKeys: 8, support: 2 },
  GXP2140: { kind: 'phone', layout: 'phone', lines: 4, functionKeys: 0, support: 2 },
  GXP2160: { kind: 'phone', layout: 'phone', lines: 6, functionKeys: 24, support: 3 },
  GXP2170: { kind: 'phone', layout: 'phone', lines: 6, functionKeys: 0, support: 2 },
  GRP2614: { kind: 'phone', layout: 'phone', lines: 4, functionKeys: 24, support: 2 },
  GRP2616: { kind: 'phone', layout: 'phone', lines: 6, functionKeys: 24, support: 2 },
  HT801: { kind: 'ata', layout: 'ht80x', lines: 1, support: 2 },
  HT802: { kind: 'ata', layout: 'ht80x', lines: 2, support: 3 },
  HT812: { kind: 'ata', layout: 'ht81x', lines: 2, support: 2 },
  HT814: { kind: 'ata', layout: 'ht81x', lines: 4, support: 2 },
};

/** P1362 language codes. */
export const GRANDSTREAM_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'en',
  de: 'de',
  fr: 'fr',
  es: 'es',
  it: 'it',
  nl: 'nl',
  pt: 'pt',
};
