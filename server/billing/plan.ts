// Charging plans (seed 004): which calls a subaccount may make or receive,
// prepaid or postpaid with initial credits, charging segments (billing
// increments), a connection fee and a price per call class — fixed, or relative
// to the carrier's cost from the rate deck. The schema is the API's contract too.
import { z } from 'zod';
import { type CallClass, type CallDirection, externalClass, isOnNet } from './call-class.js';
import { MAX_MONEY_MICROS } from './money.js';

const micros = z.number().int().min(0).max(MAX_MONEY_MICROS);
const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const seconds = z.number().int().max(3_600, 'at most 3600 seconds');
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const fixedPrice = z.object({
  kind: z.literal('fixed'),
  perMinuteMicros: micros.describe('price per minute in micros of the plan currency (1 EUR = 1,000,000)'),
});
export type FixedPrice = z.infer<typeof fixedPrice>;

export const relativePrice = z.object({
  kind: z.literal('relative'),
  markupBasisPoints: z
    .number()
    .int()
    .min(-10_000, 'at least -10000 (−100 %)')
    .max(1_000_000, 'at most 1000000 (+10,000 %)')
    .describe('markup on the carrier cost in basis points: 1500 = +15 %, 0 = at cost'),
});
export type RelativePrice = z.infer<typeof relativePrice>;

export const price = z.discriminatedUnion('kind', [fixedPrice, relativePrice]);
export type Price = z.infer<typeof price>;

const FREE: FixedPrice = { kind: 'fixed', perMinuteMicros: 0 };

export const chargingSegments = z.object({
  minimumSeconds: seconds.min(0).describe('a call is billed at least this long'),
  firstIncrementSeconds: seconds.min(1).describe('the first block billed once the call is answered'),
  nextIncrementSeconds: seconds.min(1).describe('every later block'),
});
export type ChargingSegments = z.infer<typeof chargingSegments>;

export const chargingPlan = z
  .object({
    name: z.string().trim().min(1, 'required').max(120, 'at most 120 characters'),
    allow: z.object({
      incoming: z.boolean(),
      publicNetwork: z.boolean().describe('calls through a carrier; each class must be allowed too'),
      extensions: z.boolean().describe('short extensions in the same account'),
      networkNumbers: z.boolean().describe('extended local calls: 10… network numbers in other accounts'),
      classes: z.record(externalClass, z.boolean()),
    }),
    billing: z.enum(['prepaid', 'postpaid']),
    initialCreditMinor: z
      .object({ outgoing: minor, incoming: minor })
      .default({ outgoing: 0, incoming: 0 })
      .describe('prepaid only: credit given when the plan is assigned, in minor units'),
    segments: chargingSegments,
    connectionFeeMicros: micros.default(0).describe('added once to every answered outgoing call that is not free'),
    prices: z.object({
      extension: fixedPrice.default(FREE).describe('used only when onNetFree is false'),
      network: fixedPrice.default(FREE).describe('used only when onNetFree is false'),
      local: price,
      national: price,
      mobile: price,
      international: price,
      toll_free: price,
      premium: price,
      incoming: fixedPrice.default(FREE).describe('per minute for incoming calls that are not free'),
    }),
    onNetFree: z.boolean().default(true).describe('calls to extensions and network numbers cost nothing (seed 000)'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
      .refine((c) => CURRENCIES.has(c), 'an ISO 4217 code such as EUR'),
  })
  .refine((p) => p.billing === 'prepaid' || (p.initialCreditMinor.outgoing === 0 && p.initialCreditMinor.incoming === 0), {
    message: 'initial credit is for prepaid plans only',
    path: ['initialCreditMinor'],
  });
export type ChargingPlan = z.output<typeof chargingPlan>;
export type ChargingPlanInput = z.input<typeof chargingPlan>;

export type CallPermission =
  | { allowed: true }
  | {
      allowed: false;
      reason: 'incoming' | 'public_network' | 'extensions' | 'network_numbers' | 'class';
      message: string;
    };

const ALLOWED: CallPermission = { allowed: true };

/** Whether the plan lets this call through: the switch asks before it rings or dials out. */
export function callAllowed(
  plan: ChargingPlan,
  call: { class: CallClass; direction: CallDirection },
): CallPermission {
  const { allow } = plan;
  if (call.direction === 'incoming') {
    return allow.incoming ? ALLOWED : denied('incoming', 'the charging plan does not allow incoming calls');
  }
  if (call.class === 'extension') {
    return allow.extensions ? ALLOWED : denied('extensions', 'the charging plan does not allow calls to extensions');
  }
  if (call.class === 'network') {
    return allow.networkNumbers
      ? ALLOWED
      : denied('network_numbers', 'the charging plan does not allow calls to network numbers');
  }
  if (!allow.publicNetwork) {
    return denied('public_network', 'the charging plan does not allow calls to the public network');
  }
  return allow.classes[call.class]
    ? ALLOWED
    : denied('class', `the charging plan does not allow ${call.class.replace('_', '-')} calls`);
}

function denied(reason: Exclude<CallPermission, { allowed: true }>['reason'], message: string): CallPermission {
  return { allowed: false, reason, message };
}

/** The price a plan sets for a call, or 'free' for on-net calls under onNetFree. */
export function priceFor(plan: ChargingPlan, call: { class: CallClass; direction: CallDirection }): Price | 'free' {
  if (isOnNet(call.class) && plan.onNetFree) return 'free';
  if (call.direction === 'incoming') return plan.prices.incoming;
  return plan.prices[call.class];
}
