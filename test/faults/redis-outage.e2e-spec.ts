import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ApiKeysService } from '../../src/identity/api-keys/api-keys.service.js';
import { createUser, STRONG_PASSWORD } from '../support/factories.js';
import { apiKeyHeaders } from '../support/otp.js';
import { createTestApp, TestApp } from '../support/test-app.js';
import { LocalRedis } from './local-redis.js';

const LOGIN = '/api/v2/barong/identity/sessions';
const ME = '/api/v2/barong/resource/users/me';

describe('Redis gone while REDIS_URL is set', () => {
  const redis = new LocalRedis();
  let t: TestApp;
  let key: { kid: string; secret: string };
  const warnings: string[] = [];

  beforeAll(async () => {
    await redis.start();
    t = await createTestApp({ REDIS_URL: redis.url, BARONG_LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    const holder = await createUser(t, { otp: true });
    const created = await t.get(ApiKeysService).create({ kind: 'user', user: holder }, { algorithm: 'HS256' });
    key = { kid: created.key.kid, secret: created.secret };
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await redis.stop();
  });

  const wrongLogins = async (email: string, n: number): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await t.agent({ ip: '10.9.0.1' }).post(LOGIN, { email, password: 'Wrong!Passw0rd#1' })).status);
    return statuses;
  };
  const withKey = (nonce = Date.now()) => t.agent().get(ME, { headers: apiKeyHeaders(key.kid, key.secret, nonce) });

  it('with Redis up, limits and nonces work through it', async () => {
    const user = await createUser(t);
    expect(await wrongLogins(user.email, 4)).toEqual([401, 401, 401, 429]);
    const nonce = Date.now();
    expect((await withKey(nonce)).status).toBe(200);
    expect((await withKey(nonce)).body).toEqual({ errors: ['authz.nonce_already_used'] });
  });

  it('with Redis down, rate limits fall back to in-process counters with a warning and nonces fail closed', async () => {
    await redis.stop();
    const user = await createUser(t);
    const started = Date.now();
    expect(await wrongLogins(user.email, 4)).toEqual([401, 401, 401, 429]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(warnings.some((w) => w.includes('Redis unavailable'))).toBe(true);

    const refused = await withKey();
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ errors: ['server.counter_store_unavailable'] });

    // Signing in with a password still works: only guessing is counted, locally.
    const ok = await createUser(t);
    expect((await t.agent().post(LOGIN, { email: ok.email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it('when Redis returns, counters are shared again and API keys are accepted', async () => {
    await redis.start();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await withKey()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect(warnings.some((w) => w.includes('Redis is back'))).toBe(true);
    const nonce = Date.now() + 1;
    expect((await withKey(nonce)).status).toBe(200);
    expect((await withKey(nonce)).body).toEqual({ errors: ['authz.nonce_already_used'] });
  });
});
