import { describe, expect, it } from 'vitest';
import { isIbanChecksumValid, isLuhnValid } from './checksums.js';

describe('isLuhnValid', () => {
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '4222222222222', '0'])(
    'accepts %s',
    (digits) => {
      expect(isLuhnValid(digits)).toBe(true);
    },
  );

  it.each(['4111111111111112', '5555555555554445', '1234567812345678', ''])('rejects %s', (digits) => {
    expect(isLuhnValid(digits)).toBe(false);
  });
});

describe('isIbanChecksumValid', () => {
  it.each([
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'FR1420041010050500013M02606',
    'BE68539007547034',
  ])('accepts %s', (iban) => {
    expect(isIbanChecksumValid(iban)).toBe(true);
  });

  it.each([
    ['a wrong check digit', 'DE88370400440532013000'],
    ['a swapped pair', 'GB82WEST12345698765423'],
    ['lower case', 'gb82west12345698765432'],
    ['a space', 'DE89 370400440532013000'],
    ['too short', 'DE89'],
  ])('rejects %s', (_, iban) => {
    expect(isIbanChecksumValid(iban)).toBe(false);
  });
});
