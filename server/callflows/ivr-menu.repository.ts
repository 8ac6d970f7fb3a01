// SQL for IVR menus: their settings and options, one row per key with a
// destination (call-flow.repository reads and writes them).
import { destinationColumns } from '../accounts/index.js';
import type { Destination, IvrMenu } from '../routing/index.js';
import type { CallFlowStorage } from './call-flow.repository.js';

export const ivrMenuStorage: CallFlowStorage<'ivr_menus', IvrMenu> = {
  table: 'ivr_menus',
  columns(menu) {
    const fallback = destinationColumns(menu.fallback);
    return {
      name: menu.name,
      greeting: menu.greeting,
      invalid_prompt: menu.invalidPrompt,
      timeout_prompt: menu.timeoutPrompt,
      timeout_seconds: menu.timeoutSeconds,
      max_retries: menu.maxRetries,
      allow_extension_dialing: menu.allowExtensionDialing,
      fallback_kind: fallback.kind,
      fallback_id: fallback.id,
      fallback_e164: fallback.e164,
    };
  },
  childRows: (menu) =>
    Object.entries(menu.options)
      .filter((o): o is [string, Destination] => o[1] !== undefined)
      .map(([digit, destination]) => {
        const d = destinationColumns(destination);
        return { digit, destination_kind: d.kind ?? 'number', destination_id: d.id, destination_e164: d.e164 };
      }),
};
