// Obihai OBi ATAs: each FXS (PHONE) port takes its primary line from the
// service provider slot with the same number (PHONE1 → SP1, PHONE2 → SP2).
import type { ModelFacts } from '../../module-kit.js';

export const OBIHAI_MODELS: Readonly<Record<string, ModelFacts>> = {
  OBI200: { kind: 'ata', lines: 1, support: 2 },
  OBI202: { kind: 'ata', lines: 2, support: 3 },
  OBI212: { kind: 'ata', lines: 1, support: 2 },
  OBI302: { kind: 'ata', lines: 2, support: 2 },
};
