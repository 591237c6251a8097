import { request } from 'node:http';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { ApiKeysService } from '../../src/identity/api-keys/api-keys.service.js';
import { ServiceAccountsService } from '../../src/identity/api-keys/service-accounts.service.js';
import { User } from '../../src/identity/users/user.entity.js';
import { agentWithRole, createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { apiKeyHeaders } from '../support/otp.js';
import { createTestApp, TestApp } from '../support/test-app.js';

describe('hardening: paths, malformed credentials and values, guessing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('permission rules see the path the router sees', () => {
    it('percent-encoding a letter does not get past a DROP rule', async () => {
      const { agent } = await agentWithRole(t, 'admin');
      const target = await createUser(t);
      for (const path of ['/api/v2/barong/admin/users/role', '/api/v2/barong/admin/users/%72ole', '/api/v2/barong/admin/users/%72%6F%6C%65']) {
        const res = await agent.post(path, { uid: target.uid, role: 'admin' });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['authz.invalid_permission'] });
      }
      expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: target.id })).role).toBe('member');
      expect((await agent.get('/api/v2/barong/admin/activities/%61dmin')).body).toEqual({ errors: ['authz.invalid_permission'] });
    });

    /** fetch normalises dot segments before sending; node:http sends the path as written. */
    const rawGet = (path: string, cookie: string): Promise<{ status: number; body: unknown }> =>
      new Promise((resolve, reject) => {
        const url = new URL(t.baseUrl);
        const req = request({ host: url.hostname, port: url.port, path, headers: { cookie, 'user-agent': 'jest-agent/1.0', 'x-forwarded-for': '10.1.0.1' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end();
      });

    it('refuses malformed escapes, NUL and dot segments with 400', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent({ ip: '10.1.0.1' }), user);
      const cookie = `_barong_session=${a.cookies.get('_barong_session')}`;
      for (const path of [
        '/api/v2/barong/resource/labels/%E0%A4%A',
        '/api/v2/barong/admin/users/%00',
        '/api/v2/barong/resource/labels/%2E%2E',
        '/api/v2/auth/api/v2/barong/resource/../admin/users',
        '/api/v2/auth/api/v2/barong/resource/%2e%2e/admin/users',
      ]) {
        const res = await rawGet(path, cookie);
        expect([path, res.status]).toEqual([path, 400]);
        expect(res.body).toEqual({ errors: ['server.request.invalid_path'] });
      }
    });

    it('a blocklogin rule also covers an encoded sessions path', async () => {
      const { agent: admin } = await agentWithRole(t, 'superadmin');
      const ip = '10.91.0.1';
      expect((await admin.post('/api/v2/barong/admin/restrictions', { category: 'blocklogin', scope: 'ip', value: ip })).status).toBe(200);
      const user = await createUser(t);
      for (const path of ['/api/v2/barong/identity/sessions', '/api/v2/barong/identity/%73essions']) {
        const res = await t.agent({ ip }).post(path, { email: user.email, password: STRONG_PASSWORD });
        expect(res.body).toEqual({ errors: ['authz.restrict.blocklogin'] });
      }
    });
  });

  it('a Bearer token whose header is JSON null is a 401, not a 500', async () => {
    const res = await t.agent().get('/api/v2/barong/resource/users/me', { headers: { authorization: 'Bearer bnVsbA.e30.x' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['jwt.decode_and_verify'] });
  });

  it('a service account key cannot use routes that belong to a person', async () => {
    const owner = await createUser(t);
    const account = await t.get(ServiceAccountsService).create({ owner, role: 'member' });
    const { key, secret } = await t.get(ApiKeysService).create({ kind: 'service_account', account }, { algorithm: 'HS256' });
    for (const [method, path, body] of [
      ['PUT', '/api/v2/barong/resource/users/me', { data: '{}' }],
      ['POST', '/api/v2/barong/resource/labels', { key: 'color', value: 'blue' }],
      ['POST', '/api/v2/barong/resource/profiles', { first_name: 'Ann' }],
    ] as const) {
      const res = await t.agent().send(method, path, { body, headers: apiKeyHeaders(key.kid, secret) });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.invalid_session'] });
    }
  });

  it.each([
    ['GET', '/api/v2/barong/resource/users/activity/all?page=99999999999999999', undefined, 'invalid_page'],
    ['GET', '/api/v2/barong/resource/users/activity/all?time_from=1e30', undefined, 'resource.user.non_integer_time_from'],
    ['POST', '/api/v2/barong/identity/password/validate', { password: ['x'] }, 'identity.general.invalid_password'],
    ['POST', '/api/v2/barong/identity/users/access', { whitelink_token: ['x'] }, 'identity.user.access.invalid_token'],
  ])('%s %s with an impossible value is a 422', async (method, path, body, code) => {
    const { agent } = await agentWithRole(t, 'member');
    const res = await agent.send(method, path, { body });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContain(code);
  });

  it('values PostgreSQL cannot hold are a 422 wherever they slip through', async () => {
    const { agent } = await agentWithRole(t, 'superadmin');
    const res = await agent.get('/api/v2/barong/admin/users', { query: { level: '99999999999999' } });
    expect(res.status).toBe(422);
  });

  it('a failed login for an unknown e-mail is recorded too (same work as for a known one)', async () => {
    const before = await t.dataSource.getRepository(Activity).countBy({ topic: 'session', action: 'login', result: 'failed' });
    expect((await t.agent().post('/api/v2/barong/identity/sessions', { email: 'nobody-here@example.com', password: STRONG_PASSWORD })).status).toBe(401);
    const rows = await t.dataSource.getRepository(Activity).findBy({ topic: 'session', action: 'login', result: 'failed' });
    expect(rows.length).toBe(before + 1);
    expect(rows.some((r) => r.userId === null && JSON.parse(r.data!).reason === 'Invalid Email or Password')).toBe(true);
  });

  it('self-deletion stops password guessing after 5 wrong tries', async () => {
    const user = await createUser(t);
    const a = await signIn(t, t.agent(), user);
    for (let i = 0; i < 5; i++) {
      expect((await a.delete('/api/v2/barong/resource/users/me', { password: `Wr0ng!Pass#${i}` })).status).toBe(422);
    }
    const res = await a.delete('/api/v2/barong/resource/users/me', { password: STRONG_PASSWORD });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ errors: ['resource.user.too_many_attempts'] });
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).state).toBe('active');
  });
});
