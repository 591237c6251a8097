import { isCountryCode } from './countries.js';

export interface ProfileFields {
  first_name?: string | null;
  last_name?: string | null;
  dob?: string | null;
  address?: string | null;
  postcode?: string | null;
  city?: string | null;
  country?: string | null;
  metadata?: string | null;
}

export const PROFILE_FIELDS = ['first_name', 'last_name', 'dob', 'address', 'postcode', 'city', 'country', 'metadata'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Ruby's [[:word:]]: letters, marks, digits and connector punctuation, in any script. */
const W = '\\p{L}\\p{M}\\p{N}\\p{Pc}';
const NAME = new RegExp(`^[${W}\\s\\-']+$`, 'u');
const CITY = new RegExp(`^[${W}\\s\\-–.~']+$`, 'u');
const POSTCODE = new RegExp(`^[${W}\\s\\-]+$`, 'u');
const ADDRESS = new RegExp(`^[${W}\\s\\-–,.~;/:#"\\\\&')(]+$`, 'u');

const squish = (s: string): string => s.trim().replace(/\s+/g, ' ');

/** Barong's country error key is its full message (a wart clients match on). */
export const COUNTRY_ERROR = 'country.must have alpha2 or alpha3 format';

function text(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function checkText(name: string, value: string | null | undefined, min: number, format: RegExp, out: string[]): void {
  if (!value) return;
  if ([...value].length < min) out.push(`${name}.too_short`);
  if ([...value].length > 255) out.push(`${name}.too_long`);
  if (!format.test(value)) out.push(`${name}.invalid`);
}

/** Parses a birth date given as YYYY-MM-DD (or an ISO timestamp); null when it is not a real date. */
export function parseDob(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export interface CheckedProfile {
  /** Normalised values of the fields that were given (blank becomes null). */
  values: Partial<Record<ProfileField, string | null>>;
  /** Error codes in Barong's order, with a slot for `state.exists` before the birth date. */
  fieldErrors: string[];
  dobErrors: string[];
}

/**
 * Barong's Profile validations: names, city and postcode are whitespace-squished; every field is
 * optional and only checked when present.
 */
export function checkProfile(input: Record<string, unknown>, today = new Date()): CheckedProfile {
  const values: Partial<Record<ProfileField, string | null>> = {};
  for (const f of PROFILE_FIELDS) {
    let v = text(input[f]);
    if (v === undefined) continue;
    if (v !== null && (f === 'first_name' || f === 'last_name' || f === 'city' || f === 'postcode')) v = squish(v);
    if (v !== null && v.trim() === '') v = null;
    values[f] = v;
  }
  const fieldErrors: string[] = [];
  checkText('first_name', values.first_name, 1, NAME, fieldErrors);
  checkText('last_name', values.last_name, 1, NAME, fieldErrors);
  checkText('city', values.city, 1, CITY, fieldErrors);
  if (values.country && !isCountryCode(values.country)) fieldErrors.push(COUNTRY_ERROR);
  checkText('postcode', values.postcode, 2, POSTCODE, fieldErrors);
  checkText('address', values.address, 1, ADDRESS, fieldErrors);
  if (values.metadata) {
    try {
      JSON.parse(values.metadata);
    } catch {
      fieldErrors.push('metadata.invalid_format');
    }
  }
  const dobErrors: string[] = [];
  if (values.dob) {
    const dob = parseDob(values.dob);
    if (!dob) dobErrors.push('dob.invalid_format');
    else if (dob > today.toISOString().slice(0, 10)) dobErrors.push('dob.invalid');
    else values.dob = dob;
  }
  return { values, fieldErrors, dobErrors };
}

/** `Smith` → `S****`. */
export function maskLastName(s: string): string {
  const chars = [...s];
  return (chars[0] ?? '') + '*'.repeat(Math.max(0, chars.length - 1));
}
/** `1990-05-12` → `1990-05-**`. */
export const maskDob = (s: string): string => s.slice(0, 8) + '*'.repeat(Math.max(0, s.length - 8));
