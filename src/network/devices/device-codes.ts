import { randomInt } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-en';
import QRCode from 'qrcode';
import { sha256Hex } from '../../core/crypto/tokens.js';

/**
 * 2048 common English words (the size of the BIP-39 list); a code is six of them, 66 bits.
 * Only words of four to eight letters, so codes are easy to read out and type.
 */
const WORDS: string[] = (() => {
  const source = (dictionary as Record<string, unknown>)['commonWords-en'] as string[];
  const out = [...new Set(source.filter((w) => /^[a-z]{4,8}$/.test(w)))].slice(0, 2048);
  if (out.length < 2048) throw new Error('word list too short for device codes');
  return out;
})();

export const newDeviceCode = (): string => Array.from({ length: 6 }, () => WORDS[randomInt(WORDS.length)]).join(' ');

/** Codes are compared trimmed, lower-cased, with single spaces. */
export const normalizeCode = (code: string): string => code.trim().toLowerCase().replace(/\s+/g, ' ');
export const codeHash = (code: string): string => sha256Hex(`device-code:${normalizeCode(code)}`);
export const secretHash = (secret: string): string => sha256Hex(`adopt-secret:${secret.trim()}`);

/** The link a QR code carries: the app's add-device URL with the query-escaped code. */
export const codeUrl = (code: string): string => `https://app.bringyour.com/?${new URLSearchParams({ add: normalizeCode(code) }).toString()}`;

/** 256×256 PNG, medium error correction, dark blue on white. */
export function qrPng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(codeUrl(code), { type: 'png', width: 256, margin: 2, errorCorrectionLevel: 'M', color: { dark: '#1D3150FF', light: '#FFFFFFFF' } });
}
