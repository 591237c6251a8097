import { generateSecret, generateSync, generateURI, ScureBase32Plugin, verifySync } from 'otplib';

/**
 * RFC 6238 TOTP as authenticator apps expect it (HMAC-SHA-1, 6 digits, 30-second steps), through
 * otplib. The replay guard (one code per step) and the attempt limits live in the OTP service.
 */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Codes of the previous and next step are accepted too (clock skew). */
export const TOTP_SKEW_STEPS = 1;

const base32 = new ScureBase32Plugin();

export const base32Encode = (buf: Buffer): string => base32.encode(new Uint8Array(buf), { padding: false });

export const base32Decode = (text: string): Buffer => Buffer.from(base32.decode(text.replace(/[\s=-]/g, '').toUpperCase()));

/** A new random secret (160 bits, as RFC 4226 recommends), base32 without padding. */
export const generateTotpSecret = (): string => generateSecret({ length: 20 });

/** RFC 4226 HOTP value for a counter. */
export function hotp(key: Buffer, counter: number, digits: 6 | 8 = TOTP_DIGITS): string {
  return generateSync({ strategy: 'hotp', secret: new Uint8Array(key), counter, digits });
}

export const timeStep = (nowMs: number = Date.now(), period = TOTP_PERIOD_SECONDS): number => Math.floor(nowMs / 1000 / period);

/** The code for a base32 secret at a given time. */
export const totpAt = (secret: string, nowMs: number = Date.now()): string =>
  generateSync({ secret, epoch: Math.floor(nowMs / 1000), digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });

/** The time step whose code equals `code` within the skew window, or undefined. */
export function matchTotpStep(secret: string, code: string, nowMs: number = Date.now()): number | undefined {
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return undefined;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_SKEW_STEPS * TOTP_PERIOD_SECONDS,
  });
  return result.valid ? timeStep(nowMs) + result.delta : undefined;
}

/** The otpauth:// URL authenticator apps read from the QR code. */
export function otpauthUrl(issuer: string, account: string, secret: string): string {
  return generateURI({ issuer, label: account, secret, algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
}
