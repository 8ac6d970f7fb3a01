// Service requests (seed 002): what an owner cannot change in the portal —
// porting, number removal, MAC addition, owner change, toll-free numbers,
// cancellation — filed as a ticket that staff work on. One zod schema per kind.
import { z } from 'zod';
import { deviceSchemas, numberSchemas, toE164 } from '../accounts/index.js';
import type { ServiceRequestCommentRow, ServiceRequestKind, ServiceRequestRow, ServiceRequestStatus } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { routingSchemas } from '../routing/index.js';

const uuid = z.string().uuid('a UUID');
const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);

/** A phone number in +E.164 form that is a valid number of its country. */
export const e164 = routingSchemas.e164.refine((v) => toE164(v, 'US') === v, 'not a valid phone number');
const distinct = (list: string[]) => new Set(list).size === list.length;
const destination = numberSchemas.destination.nullable().default(null).describe('where the numbers ring once added; null: not yet routed');

export const porting = z.strictObject({
  kind: z.literal('porting'),
  numbers: z.array(e164).min(1, 'at least one number').max(100).refine(distinct, 'each number at most once'),
  losingCarrier: text(120),
  carrierAccountNumber: text(60).describe('the account number at the losing carrier'),
  carrierPin: text(40).optional().describe('PIN or passcode at the losing carrier: stored encrypted, shown only as its last two characters'),
  accountName: text(120).describe('the name on the account at the losing carrier'),
  serviceAddress: z.object({
    street: text(200),
    city: text(100),
    region: z.string().trim().max(100).default(''),
    postalCode: text(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter country code'),
  }),
  billingTelephoneNumber: e164,
  requestedDate: z.iso.date('a date, YYYY-MM-DD').describe('the day the port should happen'),
  authorizationSigner: z.object({ name: text(120), title: z.string().trim().max(120).default('') }).describe('who signs the letter of authorization'),
  destination,
});

export const numberRemoval = z.strictObject({ kind: z.literal('number_removal'), number: e164 });

export const macAddition = deviceSchemas.createDevice.extend({ kind: z.literal('mac_addition') }).strict();

export const ownerChange = z.strictObject({
  kind: z.literal('owner_change'),
  newOwnerUserId: uuid.optional().describe('a login of the account'),
  newOwnerEmail: z.string().trim().email('an email address').toLowerCase().optional().describe('or the email of a login of the account'),
});

export const tollFree = z.strictObject({
  kind: z.literal('toll_free'),
  count: z.number().int().min(1).max(20).default(1),
  preferredPrefix: z.string().regex(/^[0-9]{2,6}$/, 'digits such as 800 or 0800').optional(),
  destination,
});

export const cancellation = z.strictObject({ kind: z.literal('cancellation'), reason: text(1000) });

export const fileRequest = z.discriminatedUnion('kind', [porting, numberRemoval, macAddition, ownerChange, tollFree, cancellation]);
export type FileRequest = z.output<typeof fileRequest>;
export type RequestInput<K extends ServiceRequestKind> = Extract<FileRequest, { kind: K }>;

export const KINDS = ['porting', 'number_removal', 'mac_addition', 'owner_change', 'toll_free', 'cancellation'] as const satisfies readonly ServiceRequestKind[];
/** Seed 002: these only the owner files (and staff, on the owner's behalf); owner and admins file the others. */
export const OWNER_ONLY: ReadonlySet<ServiceRequestKind> = new Set(['porting', 'owner_change', 'toll_free', 'cancellation']);

export const STATUSES = ['open', 'in_progress', 'done', 'rejected'] as const satisfies readonly ServiceRequestStatus[];
/** Where each status may go next: done and rejected are final. */
export const NEXT: Record<ServiceRequestStatus, readonly ServiceRequestStatus[]> = {
  open: ['in_progress', 'rejected'],
  in_progress: ['done', 'rejected'],
  done: [],
  rejected: [],
};

export const transition = z.object({
  status: z.enum(['in_progress', 'done', 'rejected']),
  reason: text(1000).optional().describe('required to reject; with another status it is kept as a staff comment'),
  assignedNumbers: z
    .array(e164)
    .max(20)
    .refine(distinct, 'each number at most once')
    .optional()
    .describe('toll-free: the numbers assigned, required to complete'),
});
export type Transition = z.output<typeof transition>;

export const comment = z.object({ body: text(4000) });

export const requestFilter = pageQuery.extend({
  status: z.enum(STATUSES).optional(),
  kind: z.enum(KINDS).optional(),
});
export type RequestFilter = z.output<typeof requestFilter>;

const who = z.object({ userId: uuid.nullable(), label: z.string() }).nullable();

export const requestComment = z.object({
  author: z.string(),
  authorUserId: uuid.nullable(),
  side: z.enum(['account', 'staff']),
  body: z.string(),
  at: z.string(),
});

export const serviceRequest = z.object({
  id: uuid,
  accountId: uuid,
  kind: z.enum(KINDS),
  status: z.enum(STATUSES),
  details: z.record(z.string(), z.unknown()).describe('the kind’s fields as filed; a porting PIN appears only as carrierPinMasked'),
  filedBy: who,
  assignee: who,
  handledBy: who.describe('the staff who completed or rejected it'),
  rejectReason: z.string().nullable(),
  outcome: z.record(z.string(), z.unknown()).nullable().describe('what completing it did'),
  comments: z.array(requestComment),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type ServiceRequest = z.infer<typeof serviceRequest>;

const person = (userId: string | null, label: string | null) => (label === null ? null : { userId, label });

export function toServiceRequest(row: ServiceRequestRow, comments: ServiceRequestCommentRow[]): ServiceRequest {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    status: row.status,
    details: row.details as Record<string, unknown>,
    filedBy: person(row.filed_by_user_id, row.filed_by),
    assignee: person(row.assignee_user_id, row.assignee),
    handledBy: person(row.handled_by_user_id, row.handled_by),
    rejectReason: row.reject_reason,
    outcome: (row.outcome as Record<string, unknown> | null) ?? null,
    comments: comments
      .filter((c) => c.request_id === row.id)
      .map((c) => ({ author: c.author, authorUserId: c.author_user_id, side: c.side, body: c.body, at: c.created_at.toISOString() })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export const revealedPin = z.object({
  carrierPin: z.string().nullable().describe('the porting PIN as filed; null when none was given'),
});
export type RevealedPin = z.infer<typeof revealedPin>;

/** "****42": enough for the owner to recognise the PIN they gave, never the PIN. */
export const maskedPin = (pin: string) => `****${pin.slice(-2)}`;
