// Subaccounts (seed 000): the SIP identity a phone, ATA or softphone uses —
// user id + password — with a short extension inside the account and a network
// number (10…) that any subaccount on the system can dial for free.
import { z } from 'zod';
import type { SubaccountRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { e164Like, label, uuid } from './fields.js';

export const subaccountKind = z.enum(['phone', 'conference']);
const extension = z.string().regex(/^[0-9]{2,6}$/, '2 to 6 digits');
const sipUser = z
  .string()
  .regex(/^[A-Za-z0-9._-]{3,64}$/, '3 to 64 letters, digits, dot, dash or underscore');
const sipPassword = z
  .string()
  .min(12, 'at least 12 characters')
  .max(64, 'at most 64 characters')
  .regex(/[A-Za-z]/, 'at least one letter')
  .regex(/[0-9]/, 'at least one digit');
const passcode = z.string().regex(/^[0-9]{4,10}$/, '4 to 10 digits');
const maxParticipants = z.number().int().min(2, 'at least 2').max(500, 'at most 500');
/** The room size of a conference subaccount created without one. */
export const DEFAULT_MAX_PARTICIPANTS = 50;

export const conferenceSettings = z
  .object({ maxParticipants: z.number().int(), hasModeratorPin: z.boolean() })
  .describe('conference subaccounts: room size, and whether a moderator PIN is set (the PIN itself is in the credentials view)');

export const subaccount = z.object({
  id: uuid,
  accountId: uuid,
  kind: subaccountKind,
  name: z.string(),
  sipUser: z.string(),
  realm: z.string(),
  extension: z.string(),
  networkNumber: z.string().describe('10… — dialable from any subaccount on the system, free'),
  callerIdName: z.string().nullable(),
  callerIdNumber: z.string().nullable(),
  costCentre: z.string().nullable().describe('project or client label for cost reports (seed 001)'),
  conference: conferenceSettings.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subaccount = z.infer<typeof subaccount>;

export const credentials = z.object({
  sipUser: z.string(),
  sipPassword: z.string(),
  realm: z.string(),
  conferencePasscode: z.string().nullable(),
  moderatorPin: z.string().nullable().optional().describe('conference subaccounts only: null when none is set'),
});
export type Credentials = z.infer<typeof credentials>;

export const createSubaccount = z.object({
  name: label.min(1, 'required'),
  kind: subaccountKind.default('phone'),
  sipUser: sipUser.optional().describe('defaults to the network number'),
  sipPassword: sipPassword.optional().describe('generated when absent'),
  extension: extension.optional().describe('the lowest free from 101 when absent'),
  callerIdName: label.nullable().optional(),
  callerIdNumber: e164Like.nullable().optional(),
  conferencePasscode: passcode.optional().describe('conference subaccounts; generated when absent'),
  maxParticipants: maxParticipants.optional().describe(`conference subaccounts; ${DEFAULT_MAX_PARTICIPANTS} when absent`),
  moderatorPin: passcode.optional().describe('conference subaccounts: callers entering it join as moderators'),
  costCentre: label.nullable().optional(),
});
export type CreateSubaccount = z.output<typeof createSubaccount>;

export const updateSubaccount = z
  .object({
    name: label.min(1, 'required'),
    sipPassword,
    extension,
    callerIdName: label.nullable(),
    callerIdNumber: e164Like.nullable(),
    conferencePasscode: passcode,
    maxParticipants,
    moderatorPin: passcode.nullable().describe('null removes it'),
    costCentre: label.nullable(),
  })
  .partial();
export type UpdateSubaccount = z.output<typeof updateSubaccount>;

/** What a `user` may change on its own subaccount. */
export const SELF_EDITABLE: ReadonlySet<keyof UpdateSubaccount> = new Set(['sipPassword', 'callerIdName', 'callerIdNumber']);

export const subaccountFilter = pageQuery.extend({
  kind: subaccountKind.optional(),
  q: z.string().trim().max(100).optional().describe('part of the name, SIP user, extension or network number'),
  costCentre: z.string().trim().max(120).optional(),
});
export type SubaccountFilter = z.output<typeof subaccountFilter>;

export const createdSubaccount = subaccount.extend({ credentials });

export function toSubaccount(row: SubaccountRow, realm: string): Subaccount {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    name: row.name,
    sipUser: row.sip_user,
    realm,
    extension: row.extension,
    networkNumber: row.network_number,
    callerIdName: row.caller_id_name,
    callerIdNumber: row.caller_id_number,
    costCentre: row.cost_centre,
    conference:
      row.kind === 'conference'
        ? { maxParticipants: row.conference_max_participants ?? DEFAULT_MAX_PARTICIPANTS, hasModeratorPin: row.conference_moderator_pin_enc !== null }
        : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
