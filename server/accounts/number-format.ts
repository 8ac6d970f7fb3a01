// How phone numbers are shown (seed 003 "Phone Numbers Format"): international
// (+1 415-555-0100), national (415-555-0100), or international except for
// chosen countries, which are shown nationally. Pure: E.164 in, text out.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

export const NUMBER_FORMAT_STYLES = ['international', 'national', 'international_with_national_for'] as const;

export interface NumberFormat {
  style: (typeof NUMBER_FORMAT_STYLES)[number];
  /** with `international_with_national_for`: the countries shown nationally */
  nationalFor: string[];
}

export const INTERNATIONAL: NumberFormat = { style: 'international', nationalFor: [] };

/** The number as the account shows it; a number libphonenumber cannot read is shown as stored. */
export function displayNumber(e164: string, format: NumberFormat): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  const national =
    format.style === 'national' ||
    (format.style === 'international_with_national_for' && parsed.country !== undefined && format.nationalFor.includes(parsed.country));
  return national ? parsed.formatNational() : parsed.formatInternational();
}

/** What a call list shows for a number: E.164 in the account's format, an extension or network number as it is. */
export function displayDialed(value: string, format: NumberFormat): string {
  return /^\+[1-9]\d{1,14}$/.test(value) ? displayNumber(value, format) : value;
}

export const numberFormatSchema = (country: z.ZodType<string>) =>
  z
    .object({
      style: z.enum(NUMBER_FORMAT_STYLES),
      nationalFor: z.array(country).max(50, 'at most 50 countries').default([]),
    })
    .strict()
    .refine((f) => f.style === 'international_with_national_for' || f.nationalFor.length === 0, {
      message: 'only with style international_with_national_for',
      path: ['nationalFor'],
    });

export type { CountryCode };
