import { ApiKey } from '../../src/identity/api-keys/api-key.entity.js';
import { ApiKeySecretCache } from '../../src/identity/api-keys/api-key-secret-cache.js';
import { LabelsService } from '../../src/identity/labels/labels.service.js';
import type { User } from '../../src/identity/users/user.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import type { Agent } from '../support/agent.js';
import { createUser, signIn } from '../support/factories.js';
import { apiKeyHeaders, codeFor, controlClock, enableOtp } from '../support/otp.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const KEYS = '/api/v2/barong/resource/api_keys';
const ADMIN_KEYS = '/api/v2/barong/admin/api_keys';
const ME = '/api/v2/barong/resource/users/me';
const GATEWAY = '/api/v2/auth';

describe('resource/api_keys and API-key HMAC authentication', () => {
  let t: TestApp;
  let clock: ReturnType<typeof controlClock>;
  beforeAll(async () => {
    t = await createTestApp();
    clock = controlClock();
  });
  afterAll(async () => {
    clock.restore();
    await t.close();
  });

  interface Member {
    user: User;
    a: Agent;
    secret: string;
    /** A fresh TOTP code: moves to the next time step first, so codes never collide. */
    code(): string;
  }

  /** An active member (email verified) signed in, with 2FA enabled through the API. */
  const member = async (spec: { role?: string } = {}): Promise<Member> => {
    const user = await createUser(t, { ...spec, emailVerified: true });
    const a = await signIn(t, t.agent(), user);
    const { secret } = await enableOtp(a);
    return {
      user,
      a,
      secret,
      code: () => {
        clock.nextStep();
        return codeFor(secret);
      },
    };
  };

  const createKey = async (m: Member, scope?: string): Promise<{ kid: string; secret: string }> => {
    const res = await m.a.post(KEYS, { algorithm: 'HS256', totp_code: m.code(), ...(scope ? { scope } : {}) });
    expect(res.status).toBe(201);
    return res.body;
  };
  const keyRow = (kid: string) => t.dataSource.getRepository(ApiKey).findOneByOrFail({ kid });
  /** A request signed with an API key, from a client without cookies. */
  const hmac = (method: string, url: string, key: { kid: string; secret: string }, nonce?: number | string, body?: unknown) =>
    t.agent().send(method, url, { headers: apiKeyHeaders(key.kid, key.secret, nonce ?? Date.now()), body });

  describe('POST', () => {
    it('creates an HS256 key and returns its secret once', async () => {
      const m = await member();
      const res = await m.a.post(KEYS, { algorithm: 'HS256', scope: 'read_users, trade', totp_code: m.code() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        kid: expect.stringMatching(/^[0-9a-f]{16}$/),
        algorithm: 'HS256',
        scope: ['read_users', 'trade'],
        state: 'active',
        secret: expect.stringMatching(/^[0-9a-f]{32}$/),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const row = await keyRow(res.body.kid);
      expect(row).toMatchObject({ userId: m.user.id, serviceAccountId: null, scope: ['read_users', 'trade'], state: 'active' });
      expect(row.secretSealed).not.toContain(res.body.secret);
      const list = await m.a.get(KEYS);
      expect(list.body).toHaveLength(1);
      expect(list.body[0]).not.toHaveProperty('secret');
    });

    it('accepts a form-encoded body and no scope', async () => {
      const m = await member();
      const res = await m.a.send('POST', KEYS, { form: { algorithm: 'HS256', totp_code: m.code() } });
      expect(res.status).toBe(201);
      expect(res.body.scope).toEqual([]);
    });

    it('refuses without 2FA (400) before validating anything', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      const res = await a.post(KEYS, {});
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: ['resource.api_key.2fa_disabled'] });
    });

    it('demands a TOTP code: missing/blank → missing_totp, wrong or replayed → invalid_totp', async () => {
      const m = await member();
      const missing = await m.a.post(KEYS, { algorithm: 'HS256' });
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({ errors: ['resource.api_key.missing_totp'] });
      expect((await m.a.post(KEYS, { algorithm: 'HS256', totp_code: ' ' })).body).toEqual({ errors: ['resource.api_key.missing_totp'] });
      const wrong = await m.a.post(KEYS, { algorithm: 'HS256', totp_code: '000000' === codeFor(m.secret) ? '111111' : '000000' });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ errors: ['resource.api_key.invalid_totp'] });
      const code = m.code();
      expect((await m.a.post(KEYS, { algorithm: 'HS256', totp_code: code })).status).toBe(201);
      const replay = await m.a.post(KEYS, { algorithm: 'HS256', totp_code: code });
      expect(replay.status).toBe(422);
      expect(replay.body).toEqual({ errors: ['resource.api_key.invalid_totp'] });
    });

    it('validates the algorithm', async () => {
      const m = await member();
      const missing = await m.a.post(KEYS, { totp_code: m.code() });
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({ errors: ['resource.apikey.missing_algorithm', 'resource.apikey.empty_algorithm'] });
      const bad = await m.a.post(KEYS, { algorithm: 'RS256', totp_code: m.code() });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: ['kid.blank', 'algorithm.inclusion'] });
      expect((await m.a.post(KEYS, { algorithm: 'HS256', scope: '', totp_code: m.code() })).body).toEqual({ errors: ['resource.apikey.empty_scope'] });
      expect(await t.dataSource.getRepository(ApiKey).countBy({ userId: m.user.id })).toBe(0);
    });

    it('refuses a holder that is not active', async () => {
      const m = await member();
      await t.dataSource.query(`UPDATE users SET state = 'pending' WHERE id = $1`, [m.user.id]);
      const res = await m.a.post(KEYS, { algorithm: 'HS256', totp_code: m.code() });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['api_key.inactive_holder'] });
    });

    it('rate-limits wrong TOTP codes with 429', async () => {
      const m = await member();
      clock.nextStep();
      const wrong = String((Number(codeFor(m.secret)) + 1) % 1_000_000).padStart(6, '0');
      for (let i = 0; i < 5; i++) expect((await m.a.post(KEYS, { algorithm: 'HS256', totp_code: wrong })).status).toBe(422);
      const limited = await m.a.post(KEYS, { algorithm: 'HS256', totp_code: codeFor(m.secret) });
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ errors: ['resource.api_key.too_many_attempts'] });
      clock.advance(301_000);
    });
  });

  describe('GET', () => {
    it('lists the caller\'s keys with ordering and pagination', async () => {
      const m = await member();
      const other = await member();
      await createKey(other);
      const kids = [(await createKey(m)).kid, (await createKey(m)).kid, (await createKey(m)).kid];

      const all = await m.a.get(KEYS);
      expect(all.status).toBe(200);
      expect(all.body.map((k: ApiKey) => k.kid)).toEqual(kids);
      expect(all.headers.total).toBe('3');

      expect((await m.a.get(KEYS, { query: { ordering: 'desc' } })).body.map((k: ApiKey) => k.kid)).toEqual([...kids].reverse());
      expect((await m.a.get(KEYS, { query: { order_by: 'kid' } })).body.map((k: ApiKey) => k.kid)).toEqual([...kids].sort());
      const page2 = await m.a.get(KEYS, { query: { page: 2, limit: 2 } });
      expect(page2.body.map((k: ApiKey) => k.kid)).toEqual([kids[2]]);
      expect(page2.headers).toMatchObject({ total: '3', page: '2', 'per-page': '2' });
    });

    it('validates ordering, order_by and pagination', async () => {
      const m = await member();
      expect((await m.a.get(KEYS, { query: { ordering: 'up' } })).body).toEqual({ errors: ['resource.api_key.invalid_ordering'] });
      const attr = await m.a.get(KEYS, { query: { order_by: 'secret_sealed' } });
      expect(attr.status).toBe(422);
      expect(attr.body).toEqual({ errors: ['resource.api_key.invalid_attribute'] });
      expect((await m.a.get(KEYS, { query: { limit: 1000 } })).body).toEqual({ errors: ['invalid_limit'] });
    });

    it('needs no TOTP code, and works without 2FA', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      const res = await a.get(KEYS);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });
  });

  describe('PATCH /:kid', () => {
    it('changes scope and state', async () => {
      const m = await member();
      const { kid } = await createKey(m);
      const res = await m.a.patch(`${KEYS}/${kid}`, { scope: 'read_only', state: 'inactive', totp_code: m.code() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kid, scope: ['read_only'], state: 'inactive' });
      expect(res.body).not.toHaveProperty('secret');
      expect(await keyRow(kid)).toMatchObject({ scope: ['read_only'], state: 'inactive' });
      const back = await m.a.patch(`${KEYS}/${kid}`, { state: 'active', totp_code: m.code() });
      expect(back.body).toMatchObject({ scope: ['read_only'], state: 'active' });
    });

    it('answers 404 for an unknown kid or somebody else\'s key', async () => {
      const m = await member();
      const other = await member();
      const theirs = await createKey(other);
      for (const kid of ['0000000000000000', theirs.kid]) {
        const res = await m.a.patch(`${KEYS}/${kid}`, { state: 'inactive', totp_code: m.code() });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: ['record.not_found'] });
      }
      expect((await keyRow(theirs.kid)).state).toBe('active');
    });

    it('validates state and the TOTP code', async () => {
      const m = await member();
      const { kid } = await createKey(m);
      expect((await m.a.patch(`${KEYS}/${kid}`, { state: 'paused', totp_code: m.code() })).body).toEqual({ errors: ['state.inclusion'] });
      expect((await m.a.patch(`${KEYS}/${kid}`, { state: '', totp_code: m.code() })).body).toEqual({ errors: ['resource.apikey.empty_state'] });
      expect((await m.a.patch(`${KEYS}/${kid}`, { state: 'inactive' })).body).toEqual({ errors: ['resource.api_key.missing_totp'] });
      expect((await m.a.patch(`${KEYS}/${kid}`, { state: 'inactive', totp_code: 'abcdef' })).body).toEqual({ errors: ['resource.api_key.invalid_totp'] });
      expect((await keyRow(kid)).state).toBe('active');
    });

    it('refuses to activate a key while its holder is not active', async () => {
      const m = await member();
      const { kid } = await createKey(m);
      // leaving `active` deactivates the keys (user-change hook)
      await t.get(UsersService).update(m.user.id, { state: 'pending' });
      expect((await keyRow(kid)).state).toBe('inactive');
      const res = await m.a.patch(`${KEYS}/${kid}`, { state: 'active', totp_code: m.code() });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['api_key.inactive_holder'] });
    });
  });

  describe('DELETE /:kid', () => {
    it('deletes with 204 and a TOTP code in the query', async () => {
      const m = await member();
      const key = await createKey(m);
      const missing = await m.a.delete(`${KEYS}/${key.kid}`);
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({ errors: ['resource.api_key.missing_totp'] });
      const res = await m.a.delete(`${KEYS}/${key.kid}`, undefined, { query: { totp_code: m.code() } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await t.dataSource.getRepository(ApiKey).countBy({ kid: key.kid })).toBe(0);
      const again = await m.a.delete(`${KEYS}/${key.kid}`, undefined, { query: { totp_code: m.code() } });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ errors: ['record.not_found'] });
      expect((await hmac('GET', KEYS, key)).body).toEqual({ errors: ['authz.unexistent_apikey'] });
      // the code may come in a body too
      const other = await createKey(m);
      expect((await m.a.delete(`${KEYS}/${other.kid}`, { totp_code: m.code() })).status).toBe(204);
    });

    it('refuses without 2FA', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      expect((await a.delete(`${KEYS}/0000000000000000`, undefined, { query: { totp_code: '123456' } })).body).toEqual({
        errors: ['resource.api_key.2fa_disabled'],
      });
    });
  });

  describe('admin GET api_keys', () => {
    it('lists a user\'s keys for a role with `read APIKey`', async () => {
      const m = await member();
      const key = await createKey(m);
      const admin = await signIn(t, t.agent(), await createUser(t, { role: 'superadmin' }));
      const res = await admin.get(ADMIN_KEYS, { query: { uid: m.user.uid } });
      expect(res.status).toBe(200);
      expect(res.body.map((k: ApiKey) => k.kid)).toEqual([key.kid]);
      expect(res.body[0]).not.toHaveProperty('secret');
      expect(res.headers.total).toBe('1');
    });

    it('validates and answers Barong\'s codes', async () => {
      const admin = await signIn(t, t.agent(), await createUser(t, { role: 'admin' }));
      expect((await admin.get(ADMIN_KEYS)).body).toEqual({ errors: ['admin.apikey.missing_uid', 'admin.apikey.empty_uid'] });
      const unknown = await admin.get(ADMIN_KEYS, { query: { uid: 'ID0000000000' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ errors: ['admin.user.doesnt_exist'] });
      expect((await admin.get(ADMIN_KEYS, { query: { uid: 'x', ordering: 'sideways' } })).body).toEqual({ errors: ['api_keys.ordering.invalid_ordering'] });
      expect((await admin.get(ADMIN_KEYS, { query: { uid: 'x', order_by: 'nope' } })).body).toEqual({ errors: ['api_keys.ordering.invalid_attribute'] });
    });

    it('refuses a role without the ability', async () => {
      const m = await member();
      const accountant = await signIn(t, t.agent(), await createUser(t, { role: 'accountant' }));
      const res = await accountant.get(ADMIN_KEYS, { query: { uid: m.user.uid } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['admin.ability.not_permitted'] });
      const plain = await signIn(t, t.agent(), await createUser(t));
      expect((await plain.get(ADMIN_KEYS, { query: { uid: m.user.uid } })).status).toBe(401);
    });
  });

  describe('HMAC authentication', () => {
    let m: Member;
    let key: { kid: string; secret: string };
    beforeAll(async () => {
      m = await member();
      key = await createKey(m);
    });

    it('authenticates the service\'s own routes (no cookie, no CSRF) as the key\'s holder', async () => {
      const me = await hmac('GET', ME, key);
      expect(me.status).toBe(200);
      expect(me.body.uid).toBe(m.user.uid);
      const list = await hmac('GET', KEYS, key);
      expect(list.status).toBe(200);
      expect(list.body.map((k: ApiKey) => k.kid)).toContain(key.kid);
      // writes need no CSRF token with an API key (the TOTP code is still required)
      const created = await hmac('POST', KEYS, key, undefined, { algorithm: 'HS256', totp_code: m.code() });
      expect(created.status).toBe(201);
      expect(t.get(ApiKeySecretCache).has(key.kid)).toBe(true);
    });

    it('authorizes upstream requests at the gateway endpoint', async () => {
      const res = await hmac('GET', `${GATEWAY}/api/v2/barong/resource/users/me`, key);
      expect(res.status).toBe(200);
      expect(res.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      const replay = await t.agent().get(`${GATEWAY}/api/v2/barong/resource/users/me`, { headers: apiKeyHeaders(key.kid, key.secret, Date.now() - 1) });
      expect(replay.status).toBe(200);
    });

    it('refuses a replayed (kid, nonce) pair, on the routes and at the gateway', async () => {
      const headers = apiKeyHeaders(key.kid, key.secret, Date.now());
      expect((await t.agent().get(ME, { headers })).status).toBe(200);
      const replay = await t.agent().get(ME, { headers });
      expect(replay.status).toBe(401);
      expect(replay.body).toEqual({ errors: ['authz.nonce_already_used'] });
      const atGateway = await t.agent().get(`${GATEWAY}/api/v2/barong/resource/users/me`, { headers });
      expect(atGateway.status).toBe(401);
      expect(atGateway.body).toEqual({ errors: ['authz.nonce_already_used'] });
    });

    it('refuses stale and future nonces (|now − nonce| ≥ lifetime)', async () => {
      const lifetime = t.config.barong.apiKeyNonceLifetime;
      for (const skew of [-lifetime, lifetime + 1000]) {
        for (const url of [ME, `${GATEWAY}/api/v2/barong/resource/users/me`]) {
          const res = await hmac('GET', url, key, Date.now() + skew);
          expect(res.status).toBe(401);
          expect(res.body).toEqual({ errors: ['authz.nonce_expired'] });
        }
      }
      expect((await hmac('GET', ME, key, Date.now() - lifetime + 1000)).status).toBe(200);
    });

    it('refuses a nonce that is not a positive integer', async () => {
      for (const nonce of ['abc', '0', '-5', '1.5']) {
        const res = await hmac('GET', ME, key, nonce);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['authz.nonce_not_valid_timestamp'] });
      }
    });

    it('refuses a bad signature', async () => {
      const headers = apiKeyHeaders(key.kid, key.secret);
      headers['x-auth-signature'] = apiKeyHeaders(key.kid, 'f'.repeat(32), headers['x-auth-nonce'])['x-auth-signature']!;
      for (const url of [ME, `${GATEWAY}/api/v2/barong/resource/users/me`]) {
        const res = await t.agent().get(url, { headers });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['authz.invalid_signature'] });
      }
    });

    it('refuses an unknown kid and incomplete headers', async () => {
      const unknown = await hmac('GET', ME, { kid: 'ffffffffffffffff', secret: key.secret });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ errors: ['authz.unexistent_apikey'] });
      const headers = apiKeyHeaders(key.kid, key.secret);
      for (const drop of ['x-auth-apikey', 'x-auth-nonce', 'x-auth-signature']) {
        const partial = { ...headers };
        delete partial[drop];
        for (const url of [ME, `${GATEWAY}/api/v2/barong/resource/users/me`]) {
          const res = await t.agent().get(url, { headers: partial });
          expect(res.status).toBe(422);
          expect(res.body).toEqual({ errors: ['authz.invalid_api_key_headers'] });
        }
      }
      const blank = await t.agent().get(ME, { headers: { ...headers, 'x-auth-nonce': '' } });
      expect(blank.status).toBe(422);
    });

    it('refuses an inactive key', async () => {
      const k = await createKey(m);
      await m.a.patch(`${KEYS}/${k.kid}`, { state: 'inactive', totp_code: m.code() });
      for (const url of [ME, `${GATEWAY}/api/v2/barong/resource/users/me`]) {
        const res = await hmac('GET', url, k);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['authz.apikey_not_active'] });
      }
    });

    it('refuses a holder that is not active/pending, and a user holder without 2FA', async () => {
      const other = await member();
      const k = await createKey(other);
      // state and otp changed behind the hooks' back, so the key itself stays active
      await t.dataSource.query(`UPDATE users SET state = 'banned' WHERE id = $1`, [other.user.id]);
      const banned = await hmac('GET', ME, k);
      expect(banned.status).toBe(401);
      expect(banned.body).toEqual({ errors: ['authz.invalid_session'] });
      await t.dataSource.query(`UPDATE users SET state = 'active', otp = false WHERE id = $1`, [other.user.id]);
      const no2fa = await hmac('GET', ME, k);
      expect(no2fa.status).toBe(401);
      expect(no2fa.body).toEqual({ errors: ['authz.disabled_2fa'] });
    });

    describe('scopes', () => {
      it('limit a key to the paths its scopes allow, on the routes and at the gateway', async () => {
        const k = await createKey(m, 'read_users');
        expect((await hmac('GET', ME, k)).status).toBe(200);
        const out = await hmac('GET', KEYS, k);
        expect(out.status).toBe(401);
        expect(out.body).toEqual({ errors: ['authz.invalid_permission'] });
        const write = await hmac('PUT', ME, k, undefined, { data: '{}' });
        expect(write.status).toBe(401);
        expect(write.body).toEqual({ errors: ['authz.invalid_permission'] });
        expect((await hmac('GET', `${GATEWAY}/api/v2/barong/resource/users/me`, k)).status).toBe(200);
        const upstream = await hmac('POST', `${GATEWAY}/api/v2/peatio/market/orders`, k);
        expect(upstream.status).toBe(401);
        expect(upstream.body).toEqual({ errors: ['authz.invalid_permission'] });
      });

      it('a path-prefix scope allows that prefix', async () => {
        const k = await createKey(m, 'api/v2/peatio/market,read_users');
        expect((await hmac('POST', `${GATEWAY}/api/v2/peatio/market/orders`, k)).status).toBe(200);
        expect((await hmac('GET', `${GATEWAY}/api/v2/peatio/account/balances`, k)).status).toBe(401);
      });

      it('a key without scopes is limited by the role only', async () => {
        expect((await hmac('GET', `${GATEWAY}/api/v2/peatio/account/balances`, key)).status).toBe(200);
      });
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await t.agent().get('/docs-json');
    expect(doc.status).toBe(200);
    for (const path of [KEYS, `${KEYS}/{kid}`, ADMIN_KEYS, '/api/v2/barong/resource/service_accounts/api_keys', '/api/v2/barong/resource/otp/enable']) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
  });

  describe('user-change hooks', () => {
    it('a user who leaves `active` gets every active key deactivated', async () => {
      const m = await member();
      const k1 = await createKey(m);
      const k2 = await createKey(m);
      await m.a.patch(`${KEYS}/${k2.kid}`, { state: 'inactive', totp_code: m.code() });
      await t.dataSource.transaction((tx) => t.get(LabelsService).setPrivate(tx, m.user.id, 'ban', 'fraud'));
      expect((await t.get(UsersService).findById(m.user.id))!.state).toBe('banned');
      expect((await keyRow(k1.kid)).state).toBe('inactive');
      expect((await keyRow(k2.kid)).state).toBe('inactive');
      expect(t.get(ApiKeySecretCache).has(k1.kid)).toBe(false);
      expect((await hmac('GET', ME, k1)).body).toEqual({ errors: ['authz.apikey_not_active'] });
    });

    it('2FA turned off (admin side) deactivates keys; other changes leave them alone', async () => {
      const m = await member();
      const k = await createKey(m);
      await t.get(UsersService).update(m.user.id, { data: '{"language":"en"}' });
      expect((await keyRow(k.kid)).state).toBe('active');
      await t.get(UsersService).update(m.user.id, { otp: false });
      expect((await keyRow(k.kid)).state).toBe('inactive');
    });
  });
});
