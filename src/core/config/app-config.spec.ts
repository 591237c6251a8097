import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config.js';

const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });

describe('loadConfig', () => {
  it('has working defaults and keeps a generated dev SECRET_KEY under the data dir', () => {
    const env = base();
    const c = loadConfig(env);
    expect(c.port).toBe(3000);
    expect(c.barong.sessionExpireTime).toBe(1800);
    expect(c.barong.passwordMinEntropy).toBe(14);
    expect(c.barong.apiKeyNonceLifetime).toBe(5000);
    expect(c.databaseUrl).toBeUndefined();
    expect(readFileSync(join(env.DATA_DIR, 'secret_key'), 'utf8').trim()).toBe(c.secretKey);
    expect(loadConfig(env).secretKey).toBe(c.secretKey);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must use one of postgres/],
    [{ BARONG_SESSION_EXPIRE_TIME: '10m' }, /BARONG_SESSION_EXPIRE_TIME must be an integer/],
    [{ BARONG_CSRF_PROTECTION: 'yes' }, /BARONG_CSRF_PROTECTION must be exactly "true" or "false"/],
    [{ BARONG_CAPTCHA: 'hcaptcha' }, /BARONG_CAPTCHA invalid, enabled values: none, recaptcha, geetest/],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, /TRUSTED_PROXIES has an invalid address/],
    [{ SECRET_KEY: 'short' }, /SECRET_KEY must be at least 32 characters/],
    [{ NODE_ENV: 'production' }, /SECRET_KEY is required in production/],
    [{ BARONG_UID_PREFIX: 'X' }, /BARONG_UID_PREFIX/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base(), ...env })).toThrow(message);
  });

  it('accepts IPv4 and IPv6 trusted proxies', () => {
    expect(loadConfig({ ...base(), TRUSTED_PROXIES: '10.0.0.0/8, ::1, 2001:db8::/32' }).trustedProxies).toEqual(['10.0.0.0/8', '::1', '2001:db8::/32']);
  });
});
