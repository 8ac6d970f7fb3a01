// What a dialed string is: an emergency number, or a public number normalised
// to E.164 from the caller account's country and put in one of billing's
// external call classes. libphonenumber-js's 'max' metadata is used because
// getType() needs it (the default 'min' build cannot tell mobile from fixed
// for most countries).
import { type CountryCode, type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ExternalClass } from '../billing/index.js';

/**
 * Emergency short codes by country. 112 and 911 are dialable everywhere (GSM
 * handsets and most PBXs treat both as emergency); a few countries add their own.
 * They are checked before extensions, so accounts must not use them as extensions.
 */
const EMERGENCY_EVERYWHERE: readonly string[] = ['112', '911'];
const EMERGENCY_BY_COUNTRY: Readonly<Record<string, readonly string[]>> = {
  GB: ['999'],
  IE: ['999'],
  HK: ['999'],
  SG: ['999', '995'],
  MY: ['999'],
  AU: ['000'],
  NZ: ['111'],
};

/** libphonenumber-js types → the charging plan's classes. Anything that can cost more than a normal call is premium. */
const CLASS_OF_TYPE: Record<NonNullable<NumberType>, ExternalClass> = {
  FIXED_LINE: 'national',
  FIXED_LINE_OR_MOBILE: 'national',
  MOBILE: 'mobile',
  TOLL_FREE: 'toll_free',
  PREMIUM_RATE: 'premium',
  SHARED_COST: 'premium',
  PERSONAL_NUMBER: 'premium',
  PAGER: 'premium',
  VOIP: 'national',
  UAN: 'national',
  VOICEMAIL: 'national',
};

/** International prefixes tried when the account country's own reading fails (a US caller dialing 00 44 …). */
const FOREIGN_IDD = /^(00|011)(?=[1-9])/;

export interface CallerCountry {
  country: string;
  localPrefixes: readonly string[];
}

export interface PublicNumber {
  e164: string;
  /** The number's region as libphonenumber-js resolves it (+1 416 → CA). */
  country: string | undefined;
  class: ExternalClass;
}

/** Dialed digits without the separators people and phones put in: spaces, dashes, dots, brackets. */
export function dialString(dialed: string): string {
  return dialed.replace(/[\s().-]/g, '');
}

export function isEmergency(dialed: string, country: string): boolean {
  return EMERGENCY_EVERYWHERE.includes(dialed) || (EMERGENCY_BY_COUNTRY[country]?.includes(dialed) ?? false);
}

/** The valid E.164 number a dial string means in `country`, with its call class; undefined when it is not one. */
export function publicNumber(dialed: string, caller: CallerCountry): PublicNumber | undefined {
  if (!/^\+?[0-9]{3,20}$/.test(dialed)) return undefined;
  const parsed = validNumber(dialed, caller.country) ?? foreignIddNumber(dialed, caller.country);
  if (!parsed) return undefined;
  return { e164: parsed.number, country: parsed.country, class: externalClass(parsed, caller) };
}

/** An E.164 number from a carrier's called-number field: +E.164, E.164 without +, or national in `country`. */
export function e164FromCarrier(dialed: string, country: string | undefined): string | undefined {
  if (/^\+[1-9][0-9]{6,14}$/.test(dialed)) return dialed;
  if (/^[1-9][0-9]{6,14}$/.test(dialed) && validNumber(`+${dialed}`, undefined)) return `+${dialed}`;
  return country === undefined ? undefined : validNumber(dialed, country)?.number;
}

/** The class of a caller's number relative to the called account, for incoming calls from a carrier. */
export function callerClass(number: string, caller: CallerCountry): ExternalClass | undefined {
  const parsed = validNumber(dialString(number), caller.country);
  return parsed ? externalClass(parsed, caller) : undefined;
}

type Parsed = NonNullable<ReturnType<typeof parsePhoneNumberFromString>>;

function validNumber(dialed: string, country: string | undefined): Parsed | undefined {
  const parsed = parsePhoneNumberFromString(dialed, country as CountryCode | undefined);
  return parsed?.isValid() ? parsed : undefined;
}

function foreignIddNumber(dialed: string, country: string): Parsed | undefined {
  return FOREIGN_IDD.test(dialed) ? validNumber(dialed.replace(FOREIGN_IDD, '+'), country) : undefined;
}

function externalClass(parsed: Parsed, caller: CallerCountry): ExternalClass {
  if (parsed.country !== caller.country) return 'international';
  const type = parsed.getType();
  const cls = type === undefined ? 'national' : CLASS_OF_TYPE[type];
  if (cls !== 'national' || !(type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE')) return cls;
  return caller.localPrefixes.some((prefix) => parsed.number.startsWith(prefix)) ? 'local' : 'national';
}
