import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface UserAuth {
  kind: 'email' | 'phone';
  /** The normalised form: a lower-cased bare address, or an E.164 number. */
  value: string;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * `user_auth` as the network face takes it: trimmed and lower-cased; `Name <a@b.co>` gives the bare
 * address; otherwise a possible phone number (default region US), written as E.164.
 */
export function parseUserAuth(input: unknown): UserAuth | null {
  if (typeof input !== 'string') return null;
  let text = input.trim().toLowerCase();
  if (!text || text.length > 255) return null;
  const angle = /<([^<>]+)>\s*$/.exec(text);
  if (angle) text = angle[1]!.trim();
  if (text.includes('@')) return EMAIL.test(text) ? { kind: 'email', value: text } : null;
  if (!/^\+?[\d\s().-]{4,24}$/.test(text)) return null;
  const phone = parsePhoneNumberFromString(text, 'US');
  if (!phone || !phone.isPossible()) return null;
  return { kind: 'phone', value: phone.number };
}
