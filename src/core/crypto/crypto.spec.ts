import { loadConfig } from '../config/app-config.js';
import { passwordEntropy } from './password-strength.js';
import { SecretSealer } from './secret-sealer.js';
import { safeEqual } from './tokens.js';

describe('SecretSealer', () => {
  const sealer = new SecretSealer(loadConfig({ SECRET_KEY: 'k'.repeat(40), DATA_DIR: '/tmp' }));

  it('round-trips, randomises, and binds the value to its context', () => {
    const a = sealer.seal('JBSWY3DPEHPK3PXP', 'otp:user-1');
    const b = sealer.seal('JBSWY3DPEHPK3PXP', 'otp:user-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealer.open(a, 'otp:user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => sealer.open(a, 'otp:user-2')).toThrow();
  });

  it('detects tampering and a wrong key', () => {
    const sealed = sealer.seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => sealer.open(parts.join('.'))).toThrow();
    const other = new SecretSealer(loadConfig({ SECRET_KEY: 'z'.repeat(40), DATA_DIR: '/tmp' }));
    expect(() => other.open(sealed)).toThrow();
  });
});

describe('password entropy (Barong strong_password rules)', () => {
  it.each([
    ['aaaaaaaa', 14],
    ['Password1!', 14],
    ['Aaaaaaa1!', 14],
    ['Qwertyuiop1!', 14],
  ])('%s is below the default minimum of %d', (pw, min) => {
    expect(passwordEntropy(pw)).toBeLessThan(min);
  });

  it('long, mixed passwords score well', () => {
    expect(passwordEntropy('Tr1cky!Horse_Battery')).toBeGreaterThanOrEqual(30);
    expect(passwordEntropy('Str0ng!Passw0rd#2026')).toBeGreaterThanOrEqual(14);
  });
});

describe('safeEqual', () => {
  it('compares by value', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
