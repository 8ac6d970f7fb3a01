// Field schemas shared by several resources: one definition per fact.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { isTimezone } from '../config.js';

export const uuid = z.string().uuid('a UUID');
export const timezone = z.string().refine(isTimezone, 'an IANA timezone such as Europe/Paris');
export const country = z
  .string()
  .transform((v) => v.toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter country code')
      .refine((v) => isSupportedCountry(v), 'not a country with a telephone numbering plan (ISO 3166 two-letter code)'),
  );
export const email = z
  .string()
  .trim()
  .email('an email address')
  .transform((v) => v.toLowerCase());
export const webPassword = z.string().min(10, 'at least 10 characters').max(200, 'at most 200 characters');
export const realm = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a DNS name such as acme.sip.example.com');
export const label = z.string().trim().max(120, 'at most 120 characters');
export const e164Like = z.string().trim().min(2).max(32);

/** An E.164 number from what a person typed, read in `defaultCountry` when it has no +. */
export function toE164(input: string, defaultCountry: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}

export const isoDate = z.string().describe('date-time');
