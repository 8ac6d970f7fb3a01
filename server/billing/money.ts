// Money arithmetic for rating: exact decimal → micros, exact fractional micros
// while a charge is built, and the one rounding step from micros to minor units.
//
// Units: a micro is 1/1,000,000 of the currency's major unit (1 EUR = 1,000,000
// micros); a minor unit is 10^-exponent of it (cents for EUR: exponent 2).
//
// Why plain Numbers are exact here (no BigInt): every input is bounded —
//   rates and fees ≤ MAX_MONEY_MICROS = 1e9 (1,000 major units),
//   markup factor f = 10,000 + basis points ≤ 1,010,000 (markup ≤ +10,000 %),
//   seconds ≤ MAX_BILLABLE_SECONDS ≈ 2.7e6 (31 days, plus one increment).
// rate × f ≤ 1.01e15; its whole part over 600,000 (≤ 1.7e9) × seconds ≤ 4.6e15;
// the remainder (< 600,000) × seconds < 1.7e12; a sum of a few such amounts
// stays below 2^53 ≈ 9.007e15, so every integer operation below is exact.
// Divisions are written as (a − a % b) / b: % is exact on such integers and the
// division then has an integer result, so no float quotient is ever floored.

/** 1,000 major units: the largest rate, fee or price per minute we accept. */
export const MAX_MONEY_MICROS = 1_000_000_000;
/** The longest call we rate: 31 days. */
export const MAX_BILLSEC = 31 * 86_400;
/** A markup factor of 1, in basis points (1 bp = 0.01 %). */
export const UNIT_FACTOR_BP = 10_000;
/** Fractions of a micro are counted in 1/600,000ths: 60 s per minute × 10,000 bp. */
const EXACT_DENOMINATOR = 60 * UNIT_FACTOR_BP;
const MICROS_PER_MAJOR = 1_000_000;

/** An exact non-negative amount of micros: whole + rest / 600,000, with 0 ≤ rest < 600,000. */
export interface ExactMicros {
  readonly whole: number;
  readonly rest: number;
}

export const ZERO: ExactMicros = { whole: 0, rest: 0 };

/** perMinuteMicros × factorBp / 10,000 × seconds / 60, exactly. */
export function timeAmount(perMinuteMicros: number, factorBp: number, seconds: number): ExactMicros {
  const scaled = perMinuteMicros * factorBp;
  const scaledRest = scaled % EXACT_DENOMINATOR;
  const whole = (scaled - scaledRest) / EXACT_DENOMINATOR;
  const rest = scaledRest * seconds;
  const carry = (rest - (rest % EXACT_DENOMINATOR)) / EXACT_DENOMINATOR;
  return { whole: whole * seconds + carry, rest: rest % EXACT_DENOMINATOR };
}

/** feeMicros × factorBp / 10,000, exactly. */
export function feeAmount(feeMicros: number, factorBp: number): ExactMicros {
  const scaled = feeMicros * factorBp;
  const scaledRest = scaled % UNIT_FACTOR_BP;
  return { whole: (scaled - scaledRest) / UNIT_FACTOR_BP, rest: scaledRest * 60 };
}

export function plus(a: ExactMicros, b: ExactMicros): ExactMicros {
  const rest = a.rest + b.rest;
  return rest >= EXACT_DENOMINATOR
    ? { whole: a.whole + b.whole + 1, rest: rest - EXACT_DENOMINATOR }
    : { whole: a.whole + b.whole, rest };
}

/** Whole micros, rounded up. */
export function ceilMicros(amount: ExactMicros): number {
  return amount.rest > 0 ? amount.whole + 1 : amount.whole;
}

/**
 * The one rounding of a charge: micros → minor units, rounded up (ceil), so a
 * customer is never undercharged by rounding. ceil(ceil(x) / k) = ceil(x / k)
 * for an integer k, so rounding the exact amount up to a whole micro first and
 * then to minor units is still a single rounding of the exact amount.
 */
export function microsToMinorCeil(micros: number, exponent: number): number {
  const microsPerMinor = 10 ** (6 - exponent);
  const rest = micros % microsPerMinor;
  return (micros - rest) / microsPerMinor + (rest > 0 ? 1 : 0);
}

/** ISO 4217 currencies whose minor unit is not 1/100 (the rest have exponent 2). */
const NON_DECIMAL_EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map(
    (c) => [c, 0] as const,
  ),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((c) => [c, 3] as const),
  ['CLF', 4],
  ['UYW', 4],
]);

/** The ISO 4217 minor-unit exponent of a currency: 2 for EUR/USD, 0 for JPY, 3 for KWD. */
export function minorUnitExponent(currency: string): number {
  return NON_DECIMAL_EXPONENTS.get(currency) ?? 2;
}

/**
 * A decimal amount of major units ("0.0123") as integer micros (12,300), read
 * from its digits — never through a float. Undefined when the text is not a
 * plain non-negative decimal with at most 6 decimals, or exceeds MAX_MONEY_MICROS.
 */
export function decimalToMicros(text: string): number | undefined {
  const match = /^(\d{1,4})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  const micros = whole * MICROS_PER_MAJOR + fraction;
  return micros <= MAX_MONEY_MICROS ? micros : undefined;
}
