import { base32Decode, base32Encode, hotp, matchTotpStep, otpauthUrl, timeStep, totpAt } from './totp.js';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [seconds: number, code8: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('matches the RFC 6238 SHA-1 vector at T=%i', (seconds, code8) => {
    expect(hotp(SEED, timeStep(seconds * 1000), 8)).toBe(code8);
    // six-digit codes are the last six digits of the same truncation
    expect(hotp(SEED, timeStep(seconds * 1000), 6)).toBe(code8.slice(2));
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(SEED, counter)).toBe(code));
  });

  it('round-trips base32 and computes codes from a base32 secret', () => {
    const secret = base32Encode(SEED);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret).equals(SEED)).toBe(true);
    expect(totpAt(secret, 59_000)).toBe('287082');
  });

  it('accepts one step of skew either way and tells which step matched', () => {
    const secret = base32Encode(SEED);
    const now = 1_111_111_111_000;
    const step = timeStep(now);
    expect(matchTotpStep(secret, totpAt(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpAt(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpAt(secret, now - 60_000), now)).toBeUndefined();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeUndefined();
    expect(matchTotpStep(secret, '1234567', now)).toBeUndefined();
  });

  it('builds an otpauth URL with issuer and account', () => {
    const url = new URL(otpauthUrl('My App', 'a+b@example.com', 'ABC'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/My App:a+b@example.com');
    expect(url.searchParams.get('secret')).toBe('ABC');
    expect(url.searchParams.get('issuer')).toBe('My App');
  });
});
