// The routing objects an account configures — destinations, hunt groups, IVR
// menus and office-hours schedules — as zod schemas: one definition for the
// API's validation, the TypeScript types routing reads, and the OpenAPI entry.
import { z } from 'zod';

const id = z.string().uuid('a UUID');
const name = z.string().trim().min(1, 'required').max(120, 'at most 120 characters');
export const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'E.164, e.g. +14155550100');
/** A sound file or text-to-speech reference the switch knows how to play. */
const prompt = z.string().trim().min(1, 'required').max(200, 'at most 200 characters');

/** Where a call goes next. 'number' is any E.164 number: a DID on the system (on-net) or a forward out. */
export const destination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('subaccount'), id }),
  z.object({ kind: z.literal('hunt_group'), id }),
  z.object({ kind: z.literal('ivr_menu'), id }),
  z.object({ kind: z.literal('conference'), id: id.describe('a conference subaccount') }),
  z.object({ kind: z.literal('schedule'), id: id.describe('an office-hours schedule') }),
  z.object({ kind: z.literal('number'), e164 }),
]);
export type Destination = z.infer<typeof destination>;
export type DestinationKind = Destination['kind'];

/** Seed 003: how outgoing calls are identified. */
export const callerIdPrivacy = z.enum(['none', 'name', 'number', 'both']);
export type CallerIdPrivacy = z.infer<typeof callerIdPrivacy>;

export const HUNT_STRATEGIES = ['simultaneous', 'sequential', 'round_robin', 'random'] as const;
export const huntStrategy = z.enum(HUNT_STRATEGIES);
export type HuntStrategy = z.infer<typeof huntStrategy>;

export const huntMember = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('subaccount'), id }),
  z.object({ kind: z.literal('external'), e164 }),
]);
export type HuntMember = z.infer<typeof huntMember>;

export const huntGroup = z.object({
  id,
  accountId: id,
  name,
  extension: z
    .string()
    .regex(/^[0-9]{2,6}$/, '2 to 6 digits')
    .nullable()
    .optional()
    .describe('dialed like a subaccount’s extension; unique in the account together with them'),
  strategy: huntStrategy,
  members: z.array(huntMember).min(1, 'at least one member').max(100, 'at most 100 members'),
  memberTimeoutSeconds: z.number().int().min(5).max(300).default(20).describe('sequential, round robin, random'),
  totalTimeoutSeconds: z.number().int().min(5).max(3_600).default(60).describe('caps the whole hunt'),
  skipBusy: z.boolean().default(true).describe('members already on a call are not rung'),
  fallback: destination.nullable().default(null).describe('where an unanswered hunt goes'),
});
export type HuntGroup = z.output<typeof huntGroup>;

export const DIGIT_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export const digitKey = z.enum(DIGIT_KEYS);
export type DigitKey = z.infer<typeof digitKey>;

export const ivrMenu = z.object({
  id,
  accountId: id,
  name,
  greeting: prompt.describe('"press 1 for John, 2 for Mary"'),
  invalidPrompt: prompt.describe('played after a key with no option'),
  timeoutPrompt: prompt.describe('played when nothing was pressed in time'),
  timeoutSeconds: z.number().int().min(1).max(60).default(5),
  maxRetries: z.number().int().min(0).max(10).default(3).describe('per kind: invalid keys and timeouts count apart'),
  allowExtensionDialing: z.boolean().default(false).describe('callers may dial an extension of the account'),
  options: z.partialRecord(digitKey, destination),
  fallback: destination.nullable().default(null).describe('after the retries; null hangs up'),
});
export type IvrMenu = z.output<typeof ivrMenu>;

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'HH:MM, 00:00 to 24:00');
const localDate = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'YYYY-MM-DD');

/** Open on these ISO weekdays (1 = Monday … 7 = Sunday) from..to local time; to ≤ from runs past midnight. */
export const weeklyRange = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1),
    from: clock,
    to: clock,
  })
  .refine((r) => r.from !== r.to, { message: 'from and to must differ', path: ['to'] });
export type WeeklyRange = z.infer<typeof weeklyRange>;

export const schedule = z.object({
  id,
  accountId: id,
  name,
  weekly: z.array(weeklyRange).max(50),
  holidays: z.array(localDate).max(400).default([]).describe('local dates that are closed all day'),
  open: destination,
  closed: destination,
});
export type Schedule = z.output<typeof schedule>;
