import { createHmac, hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
/** One-shot `hash` skips the Hash object (a third of the cost for the short keys and tokens hashed per request). */
export const sha256Hex = (value: string | Buffer): string => hash('sha256', value, 'hex');
export const hmacSha256Hex = (key: string | Buffer, message: string): string =>
  createHmac('sha256', key).update(message).digest('hex');

/** A decimal code of `digits` digits, uniformly random (e.g. SMS codes). */
export const randomDigits = (digits: number): string =>
  String(randomInt(0, 10 ** digits)).padStart(digits, '0');

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
