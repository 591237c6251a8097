import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { badRequest } from './errors.js';

export type Input = Record<string, unknown>;

/** The request body as an object (SDKs send nothing, `null` or `{}` alike). */
export const inputOf = (...parts: unknown[]): Input => {
  const out: Input = {};
  for (const p of parts) if (p && typeof p === 'object' && !Array.isArray(p)) Object.assign(out, p);
  return out;
};

export function optString(input: Input, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest('bad_request', `${key} must be a string`);
  return v;
}

export function reqString(input: Input, key: string, type = 'bad_request'): string {
  const v = optString(input, key);
  if (v === undefined || v.trim() === '') throw badRequest(type, `${key} is required`);
  return v.trim();
}

/** A boolean, also as "true"/"false" (query strings). */
export function optBool(input: Input, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badRequest('bad_request', `${key} must be a boolean`);
}

/** An integer, also as a numeric string (the browser SDK, query strings). */
export function optInt(input: Input, key: string, type = 'bad_request'): number | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(type, `${key} must be an integer`);
  return n;
}

export function intInRange(input: Input, key: string, min: number, max: number, fallback: number, type: string): number {
  const n = optInt(input, key, type) ?? fallback;
  if (n < min || n > max) throw badRequest(type, `${key} must be between ${min} and ${max}`);
  return n;
}

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Trimmed and lower-cased; 400 invalid_email otherwise. */
export function normalizeEmailInput(value: unknown): string {
  if (typeof value !== 'string') throw badRequest('invalid_email', 'email must be a valid e-mail address');
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw badRequest('invalid_email', `${value} is not a valid e-mail address`);
  return email;
}

/** E.164 as a real parser reads it; 400 invalid_phone_number otherwise. */
export function normalizePhoneInput(value: unknown): string {
  if (typeof value !== 'string') throw badRequest('invalid_phone_number', 'phone_number must be an E.164 phone number');
  const raw = value.trim();
  const parsed = /^\+[1-9]\d{6,14}$/.test(raw) ? parsePhoneNumberFromString(raw) : undefined;
  if (!parsed || !parsed.isValid() || parsed.number !== raw) throw badRequest('invalid_phone_number', `${value} is not an E.164 phone number`);
  return parsed.number;
}

export interface DeviceFingerprint {
  ip: string;
  user_agent: string;
}

export function deviceFingerprintOf(input: Input): DeviceFingerprint {
  const v = input.device_fingerprint;
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : {};
  const s = (x: unknown): string => (typeof x === 'string' ? x.slice(0, 512) : '');
  return { ip: s(o.ip), user_agent: s(o.user_agent) };
}

/** Seconds since the epoch; 0 for "not set". */
export const unix = (d: Date | null | undefined): number => (d ? Math.floor(d.getTime() / 1000) : 0);
