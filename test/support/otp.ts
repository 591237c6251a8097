import { createHmac } from 'node:crypto';
import { jest } from '@jest/globals';
import { totpAt } from '../../src/identity/otp/totp.js';
import type { Agent } from './agent.js';

/**
 * Moves Date.now forward for the whole process (the app runs in the test process), so a test can
 * reach the next TOTP time step without waiting. Timers are untouched.
 */
export function controlClock(): { advance(ms: number): void; nextStep(): void; restore(): void } {
  const realNow = Date.now.bind(Date);
  let offset = 0;
  const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  return {
    advance: (ms) => {
      offset += ms;
    },
    nextStep: () => {
      offset += 30_000;
    },
    restore: () => spy.mockRestore(),
  };
}

export const secretFromUrl = (url: string): string => new URL(url).searchParams.get('secret')!;

/** The TOTP code of a base32 secret now (as the app sees now). */
export const codeFor = (secret: string, atMs: number = Date.now()): string => totpAt(secret, atMs);

/** Generates a QR code and enables 2FA through the API; returns the secret and recovery codes. */
export async function enableOtp(agent: Agent): Promise<{ secret: string; recoveryCodes: string[] }> {
  const qr = await agent.post('/api/v2/barong/resource/otp/generate_qrcode');
  if (qr.status !== 201) throw new Error(`generate_qrcode: ${qr.status} ${qr.text}`);
  const secret = secretFromUrl(qr.body.data.url);
  const enabled = await agent.post('/api/v2/barong/resource/otp/enable', { code: codeFor(secret) });
  if (enabled.status !== 201) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  return { secret, recoveryCodes: enabled.body.recovery_codes };
}

/** Barong API-key headers: signature = hex(HMAC-SHA256(secret, nonce + kid)). */
export function apiKeyHeaders(kid: string, secret: string, nonce: string | number = Date.now()): Record<string, string> {
  const n = String(nonce);
  return {
    'x-auth-apikey': kid,
    'x-auth-nonce': n,
    'x-auth-signature': createHmac('sha256', secret).update(n + kid).digest('hex'),
  };
}
