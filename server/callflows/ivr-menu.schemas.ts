// IVR menus (seed 000: "press 1 for John, 2 for Mary" on one number): routing's
// schema is the contract; the API adds timestamps.
import { z } from 'zod';
import { destinationFrom } from '../accounts/index.js';
import type { IvrMenuOptionRow, IvrMenuRow } from '../db/index.js';
import { type Destination, type DigitKey, type IvrMenu, routingSchemas } from '../routing/index.js';
import { callFlowSchemas, stamps } from './call-flow.schemas.js';

const schemas = callFlowSchemas(routingSchemas.ivrMenu, 'part of the name');

export const ivrMenu = schemas.item;
export type IvrMenuView = z.infer<typeof ivrMenu>;
export const createIvrMenu = schemas.create;
export type CreateIvrMenu = z.output<typeof createIvrMenu>;
export const updateIvrMenu = schemas.update;
export type UpdateIvrMenu = z.output<typeof updateIvrMenu>;
export const ivrMenuFilter = schemas.filter;
export type IvrMenuFilter = z.output<typeof ivrMenuFilter>;

/** The menu as routing reads it. */
export function ivrMenuOf(row: IvrMenuRow, options: readonly IvrMenuOptionRow[]): IvrMenu {
  const keyed: Partial<Record<DigitKey, Destination>> = {};
  for (const o of options) {
    const destination = destinationFrom(o.destination_kind, o.destination_id, o.destination_e164);
    if (destination) keyed[o.digit as DigitKey] = destination;
  }
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    greeting: row.greeting,
    invalidPrompt: row.invalid_prompt,
    timeoutPrompt: row.timeout_prompt,
    timeoutSeconds: row.timeout_seconds,
    maxRetries: row.max_retries,
    allowExtensionDialing: row.allow_extension_dialing,
    options: keyed,
    fallback: destinationFrom(row.fallback_kind, row.fallback_id, row.fallback_e164),
  };
}

export function toIvrMenu(row: IvrMenuRow, options: readonly IvrMenuOptionRow[]): IvrMenuView {
  return { ...ivrMenuOf(row, options), ...stamps(row) };
}
