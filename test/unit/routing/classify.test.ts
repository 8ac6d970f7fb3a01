// Dial strings → E.164 and a call class, read in the caller account's country;
// emergency short codes; called numbers as carriers send them.
import { describe, expect, it } from 'vitest';
import { callerClass, dialString, e164FromCarrier, isEmergency, publicNumber } from '../../../server/routing/index.js';

const LONDON = { country: 'GB', localPrefixes: ['+4420'] };
const MANHATTAN = { country: 'US', localPrefixes: ['+1212', '+1646'] };
const GERMANY = { country: 'DE', localPrefixes: [] };

describe('publicNumber', () => {
  it.each([
    ['a London number dialed nationally from London', '02079460018', LONDON, '+442079460018', 'local'],
    ['the same number in E.164', '+442079460018', LONDON, '+442079460018', 'local'],
    ['a Manchester number from London', '01614960000', LONDON, '+441614960000', 'national'],
    ['a UK mobile', '07400123456', LONDON, '+447400123456', 'mobile'],
    ['UK freephone', '08001234567', LONDON, '+448001234567', 'toll_free'],
    ['UK premium rate', '09098790000', LONDON, '+449098790000', 'premium'],
    ['UK 0845 special rate counts as premium', '08454640000', LONDON, '+448454640000', 'premium'],
    ['UK personal number (070) counts as premium', '07012345678', LONDON, '+447012345678', 'premium'],
    ['a Guernsey mobile (+44 7781) from the UK is international', '07781123456', LONDON, '+447781123456', 'international'],
    ['a US freephone from the UK is international', '+18002345678', LONDON, '+18002345678', 'international'],
    ['00 is the UK international prefix', '0033612345678', LONDON, '+33612345678', 'international'],
    ['011 is the US international prefix', '01133612345678', MANHATTAN, '+33612345678', 'international'],
    ['00 from the US, read as international when it is nothing else', '0033612345678', MANHATTAN, '+33612345678', 'international'],
    ['a second local area code', '6465550123', MANHATTAN, '+16465550123', 'local'],
    ['a US number with the national prefix 1', '12125550123', MANHATTAN, '+12125550123', 'local'],
    ['US premium (900)', '19002345678', MANHATTAN, '+19002345678', 'premium'],
    ['a German mobile', '015112345678', GERMANY, '+4915112345678', 'mobile'],
    ['a German fixed line with no local prefixes is national', '030123456', GERMANY, '+4930123456', 'national'],
  ])('%s', (_name, dialed, caller, e164, cls) => {
    expect(publicNumber(dialed, caller)).toMatchObject({ e164, class: cls });
  });

  it.each([
    ['too short', '+4420794601'],
    ['letters', '0207946abcd'],
    ['a feature code', '*72'],
    ['a number that does not exist', '0999999999'],
    ['nothing', ''],
  ])('refuses %s', (_name, dialed) => {
    expect(publicNumber(dialed, LONDON)).toBeUndefined();
  });
});

describe('dialString', () => {
  it.each([
    ['+44 (0)20', '+44020'],
    ['020 7946-0018', '02079460018'],
    ['212.555.0123', '2125550123'],
  ])('%s → %s', (dialed, clean) => {
    expect(dialString(dialed)).toBe(clean);
  });
});

describe('isEmergency', () => {
  it.each<[string, string, boolean]>([
    ['112', 'GB', true],
    ['999', 'GB', true],
    ['911', 'GB', true],
    ['911', 'US', true],
    ['112', 'US', true],
    ['999', 'US', false],
    ['000', 'AU', true],
    ['000', 'GB', false],
    ['111', 'NZ', true],
    ['1121', 'GB', false],
  ])('%s in %s → %s', (dialed, country, emergency) => {
    expect(isEmergency(dialed, country)).toBe(emergency);
  });
});

describe('e164FromCarrier', () => {
  it.each<[string, string, string | undefined, string | undefined]>([
    ['E.164', '+442079460101', undefined, '+442079460101'],
    ['E.164 without the +', '442079460101', undefined, '+442079460101'],
    ['national, on a trunk with a country', '02079460101', 'GB', '+442079460101'],
    ['national, on a shared trunk', '02079460101', undefined, undefined],
    ['garbage', 'abc', 'GB', undefined],
  ])('%s', (_name, dialed, country, e164) => {
    expect(e164FromCarrier(dialed, country)).toBe(e164);
  });
});

describe('callerClass', () => {
  it.each<[string, string, string | undefined]>([
    ['a UK mobile caller', '+447400123456', 'mobile'],
    ['a French caller', '+33612345678', 'international'],
    ['a national caller ID with spaces', '020 7946 0018', 'local'],
    ['an anonymous caller', 'anonymous', undefined],
  ])('%s', (_name, number, cls) => {
    expect(callerClass(number, LONDON)).toBe(cls);
  });
});
