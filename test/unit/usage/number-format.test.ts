// Phone number display formats (seed 003): international, national, and
// international with national for chosen countries.
import { describe, expect, it } from 'vitest';
import { type NumberFormat, displayNumber } from '../../../server/accounts/index.js';

const INTL: NumberFormat = { style: 'international', nationalFor: [] };
const NATIONAL: NumberFormat = { style: 'national', nationalFor: [] };
const US_NATIONAL: NumberFormat = { style: 'international_with_national_for', nationalFor: ['US'] };
const GB_DE_NATIONAL: NumberFormat = { style: 'international_with_national_for', nationalFor: ['GB', 'DE'] };

describe('displayNumber', () => {
  it.each([
    ['+14155550100', INTL, '+1 415 555 0100'],
    ['+14155550100', NATIONAL, '(415) 555-0100'],
    ['+14155550100', US_NATIONAL, '(415) 555-0100'],
    ['+442071838750', US_NATIONAL, '+44 20 7183 8750'],
    ['+442071838750', GB_DE_NATIONAL, '020 7183 8750'],
    ['+493012345678', GB_DE_NATIONAL, '030 12345678'],
    ['+14155550100', GB_DE_NATIONAL, '+1 415 555 0100'],
    ['+33142685300', NATIONAL, '01 42 68 53 00'],
    ['+33142685300', INTL, '+33 1 42 68 53 00'],
    ['not a number', INTL, 'not a number'],
  ])('%s as %j → %s', (e164, format, shown) => {
    expect(displayNumber(e164, format)).toBe(shown);
  });
});
