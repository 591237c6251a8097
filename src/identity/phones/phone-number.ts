import { parsePhoneNumberFromString as parseWith } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';

/** Full ("max") metadata, so validity is checked per number type, not just by length. */
const parsePhoneNumberFromString = (text: string) => parseWith(text, metadata);

export interface ParsedPhone {
  /** Digits only, international form without '+' (Barong stores numbers this way). */
  digits: string;
  /** E.164 form, used as the SMS recipient. */
  e164: string;
  /** ISO 3166-1 alpha-2 country. */
  country: string;
  /** Length of the country calling code. */
  callingCodeLength: number;
}

/**
 * Barong's rule: the input is taken as an international number (a leading '+' is implied),
 * normalised to digits, and must be valid for its country (full metadata, strict).
 */
export function parsePhone(input: string): ParsedPhone | null {
  const cleaned = input.trim().replace(/[\s().-]/g, '');
  if (!/^\+?\d{4,17}$/.test(cleaned)) return null;
  const parsed = parsePhoneNumberFromString(cleaned.startsWith('+') ? cleaned : `+${cleaned}`);
  if (!parsed || !parsed.isValid()) return null;
  return {
    digits: parsed.number.slice(1),
    e164: parsed.number,
    country: parsed.country ?? '',
    callingCodeLength: parsed.countryCallingCode.length,
  };
}

/** Keep the country code and the last 4 digits, star the middle (`380*****2322`). */
export function maskPhone(digits: string): string {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const head = parsed ? parsed.countryCallingCode.length : 2;
  if (digits.length <= head + 4) return digits;
  return digits.slice(0, head) + '*'.repeat(digits.length - head - 4) + digits.slice(-4);
}
