// Checksums that turn "looks like a number" into "is one": most digit runs in logs (ids, seqs,
// amounts) fail them, so validating keeps the card and IBAN detectors from eating ordinary data.

/** True when `digits` (only 0-9) passes the Luhn check used by payment card numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * True when `iban` (upper-case letters and digits, no spaces) passes ISO 13616's mod-97 check:
 * the first four characters moved to the end, letters as 10..35, the number mod 97 equals 1.
 */
export function isIbanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    // Digits add one decimal place, letters (A=10 .. Z=35) add two; the remainder stays small.
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return iban.length >= 5 && remainder === 1;
}
