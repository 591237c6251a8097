import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { AccessControl } from '../../src/core/auth/access-control.js';
import { JwtService } from '../../src/core/crypto/jwt/jwt.service.js';
import { AppError } from '../../src/core/http/app-error.js';
import { Session } from '../../src/identity/sessions/session.entity.js';
import { SessionsService } from '../../src/identity/sessions/sessions.service.js';
import { User } from '../../src/identity/users/user.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser, signIn } from '../support/factories.js';
import { createTestApp, TestApp, testConfig } from '../support/test-app.js';

const ME = '/api/v2/auth/api/v2/barong/resource/users/me';

interface Jwk {
  kid: string;
  alg: string;
  [k: string]: unknown;
}

/** Verifies a JWT against the JWKS the service publishes, independently of its own JwtService. */
async function verifyWithJwks(t: TestApp, token: string): Promise<Record<string, any>> {
  const jwks = (await t.agent().get<{ keys: Jwk[] }>('/.well-known/jwks.json')).body;
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`kid ${header.kid} is not in the JWKS`);
  expect(header.alg).toBe(jwk.alg);
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  const input = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const ok = jwk.alg === 'ES256' ? verifySignature('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig) : verifySignature('sha256', input, key, sig);
  if (!ok) throw new Error('signature does not verify');
  return JSON.parse(Buffer.from(p, 'base64url').toString());
}

function bearer(res: { headers: Record<string, string> }): string {
  const value = res.headers.authorization;
  expect(value).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  return value!.slice('Bearer '.length);
}

describe('gateway authorization endpoint /api/v2/auth/*path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('session cookie flow: success', () => {
    it('answers 200 with an empty body and a Bearer JWT verifiable with the published JWKS, with every Barong claim', async () => {
      const referrer = await createUser(t);
      const user = await createUser(t, { level: 2 });
      await t.get(UsersService).update(user.id, { username: 'gwuser' });
      await t.dataSource.getRepository(User).update({ id: user.id }, { referralId: referrer.id });
      const agent = await signIn(t, t.agent(), user);

      const res = await agent.get(ME);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const claims = await verifyWithJwks(t, bearer(res));
      const now = Math.floor(Date.now() / 1000);
      expect(claims).toEqual({
        iat: expect.any(Number),
        exp: claims.iat + 3600,
        sub: 'session',
        iss: 'barong',
        aud: ['peatio', 'barong'],
        jti: expect.stringMatching(/^[0-9a-f]{20}$/),
        uid: user.uid,
        username: 'gwuser',
        email: user.email,
        referral_id: referrer.id,
        role: 'member',
        level: 2,
        state: 'active',
      });
      expect(Math.abs(claims.iat - now)).toBeLessThanOrEqual(5);
    });

    it('a user without username or referrer gets null claims; nested paths and query strings work', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await agent.get('/api/v2/auth/api/v2/peatio/account/balances/usd', { query: { limit: 5 } });
      expect(res.status).toBe(200);
      const claims = await verifyWithJwks(t, bearer(res));
      expect(claims).toMatchObject({ uid: user.uid, username: null, referral_id: null, level: 0 });
    });

    it('reuses the signed token for the same session and user snapshot, and signs a new one when the user changes', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const first = bearer(await agent.get(ME));
      const second = bearer(await agent.get(ME));
      expect(second).toBe(first);
      await t.get(UsersService).update(user.id, { level: 3 });
      const third = bearer(await agent.get(ME));
      expect(third).not.toBe(first);
      expect((await verifyWithJwks(t, third)).level).toBe(3);
    });

    it('writes pass with the CSRF token (POST, PUT, DELETE)', async () => {
      const { agent } = await agentWithRole(t, 'member');
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const res = await agent.send(method, '/api/v2/auth/api/v2/barong/resource/phones');
        expect(res.status).toBe(200);
        bearer(res);
      }
    });

    it('the body is never read: a proxy may announce a JSON or oversized body it does not send', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const res = await agent.send('POST', '/api/v2/auth/api/v2/barong/resource/phones', { headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      bearer(res);
      const big = await agent.send('PUT', '/api/v2/auth/api/v2/barong/resource/users/me', { body: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'text/plain' } });
      expect(big.status).toBe(200);
    });

    it('an admin may reach admin paths', async () => {
      const { agent } = await agentWithRole(t, 'admin');
      const res = await agent.get('/api/v2/auth/api/v2/barong/admin/users');
      expect(res.status).toBe(200);
      expect((await verifyWithJwks(t, bearer(res))).role).toBe('admin');
    });
  });

  describe('pass list, block list, OPTIONS', () => {
    it.each([
      'api/v2/barong/public/ping',
      'api/v2/barong/identity/sessions',
      'api/v2/peatio/public/markets',
      'api/v2/peatio/swagger',
      'api/v2/ranger/public/',
      'api/v2/applogic/public/x',
      'api/v2/arke/public/x',
      'api/v2/finex/public/x',
    ])('pass list %s: 200, empty body, no Authorization (even when logged in)', async (path) => {
      const { agent } = await agentWithRole(t, 'member');
      const res = await agent.get(`/api/v2/auth/${path}`);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect(res.headers.authorization).toBeUndefined();
      const anonymous = await t.agent().get(`/api/v2/auth/${path}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.headers.authorization).toBeUndefined();
    });

    it.each(['api/v2/barong/management/users/get', 'api/v2/peatio/management/deposits', 'api/v2/barong/managementx'])(
      'block list %s: 401 authz.permission_denied, even for a superadmin',
      async (path) => {
        const { agent } = await agentWithRole(t, 'superadmin');
        for (const method of ['GET', 'POST', 'DELETE']) {
          const res = await agent.send(method, `/api/v2/auth/${path}`);
          expect(res.status).toBe(401);
          expect(res.body).toEqual({ errors: ['authz.permission_denied'] });
        }
      },
    );

    it('OPTIONS (CORS preflight) passes without credentials and without Authorization', async () => {
      const res = await t.agent().send('OPTIONS', '/api/v2/auth/api/v2/barong/resource/users/me', {
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' },
      });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      expect(res.headers.authorization).toBeUndefined();
    });

    it('pass and block lists come from BARONG_AUTHZ_PASS_RULES / BARONG_AUTHZ_BLOCK_RULES', () => {
      const defaults = testConfig('postgres://x@127.0.0.1/x');
      expect(defaults.barong.authzBlockRules).toEqual(['api/v2/barong/management', 'api/v2/peatio/management']);
      expect(defaults.barong.authzPassRules).toContain('api/v2/peatio/swagger');
      const custom = testConfig('postgres://x@127.0.0.1/x', { BARONG_AUTHZ_PASS_RULES: '/api/v2/open, api/v2/x/public', BARONG_AUTHZ_BLOCK_RULES: 'api/v2/secret' });
      expect(custom.barong.authzPassRules).toEqual(['api/v2/open', 'api/v2/x/public']);
      expect(custom.barong.authzBlockRules).toEqual(['api/v2/secret']);
    });
  });

  describe('restrictions run first', () => {
    it('a screen refusal wins over the block list, and the whitelink redemption path is not screened', async () => {
      const bannedIp = '172.31.9.9';
      t.get(AccessControl).registerScreen({
        name: 'gateway-test-screen',
        order: 99,
        screen: async (req) => {
          if (req.ip === bannedIp) throw new AppError(471, 'authz.restrict.maintenance');
        },
      });
      const banned = t.agent({ ip: bannedIp });
      const blocked = await banned.get('/api/v2/auth/api/v2/barong/management/x');
      expect(blocked.status).toBe(471);
      expect(blocked.body).toEqual({ errors: ['authz.restrict.maintenance'] });
      expect((await banned.get('/api/v2/auth/api/v2/barong/public/ping')).status).toBe(471);
      const whitelink = await banned.post('/api/v2/auth/api/v2/barong/identity/users/access');
      expect(whitelink.status).toBe(200);
      expect(whitelink.headers.authorization).toBeUndefined();
    });
  });

  describe('session cookie flow: errors', () => {
    it('no cookie or an unknown cookie: 401 authz.invalid_session', async () => {
      const anonymous = await t.agent().get(ME);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ errors: ['authz.invalid_session'] });
      const bogus = t.agent();
      bogus.cookies.set(t.config.barong.sessionName, 'not-a-session');
      expect((await bogus.get(ME)).body).toEqual({ errors: ['authz.invalid_session'] });
      expect((await t.agent().get('/api/v2/auth')).body).toEqual({ errors: ['authz.invalid_session'] });
      expect((await t.agent().get('/api/v2/auth/')).body).toEqual({ errors: ['authz.invalid_session'] });
    });

    it('writes check CSRF first: missing → authz.missing_csrf_token, wrong → authz.csrf_token_mismatch (also without a session)', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const missing = await agent.post('/api/v2/auth/api/v2/barong/resource/phones', undefined, { noCsrf: true });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ errors: ['authz.missing_csrf_token'] });
      const wrong = await agent.send('PATCH', '/api/v2/auth/api/v2/barong/resource/phones', { headers: { 'x-csrf-token': 'f'.repeat(20) } });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ errors: ['authz.csrf_token_mismatch'] });

      const anonymous = t.agent();
      expect((await anonymous.post('/api/v2/auth/api/v2/barong/resource/phones')).body).toEqual({ errors: ['authz.missing_csrf_token'] });
      const anonymousWithToken = await anonymous.post('/api/v2/auth/api/v2/barong/resource/phones', undefined, { headers: { 'x-csrf-token': 'abc' } });
      expect(anonymousWithToken.status).toBe(401);
      expect(anonymousWithToken.body).toEqual({ errors: ['authz.csrf_token_mismatch'] });
      // The session was not harmed by the refusals.
      expect((await agent.get(ME)).status).toBe(200);
    });

    async function expectMismatchEndsSession(agent: Agent, restore: () => void, sessionUserId: string): Promise<void> {
      const res = await agent.get(ME);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.client_session_mismatch'] });
      const rows = await t.dataSource.getRepository(Session).find({ where: { userId: sessionUserId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.revokedAt).toBeInstanceOf(Date);
      restore();
      const after = await agent.get(ME);
      expect(after.body).toEqual({ errors: ['authz.invalid_session'] });
    }

    it('another user agent: 401 authz.client_session_mismatch and the session ends', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await agent.get(ME)).status).toBe(200);
      const original = agent.userAgent;
      agent.userAgent = 'other-browser/2.0';
      await expectMismatchEndsSession(agent, () => (agent.userAgent = original), user.id);
    });

    it('the same /16 network is fine; another /16: 401 authz.client_session_mismatch and the session ends', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, t.agent({ ip: '10.77.1.1' }), user);
      expect((await agent.get(ME)).status).toBe(200);
      agent.ip = '10.77.200.9';
      expect((await agent.get(ME)).status).toBe(200);
      agent.ip = '10.78.1.1';
      await expectMismatchEndsSession(agent, () => (agent.ip = '10.77.1.1'), user.id);
    });

    it('an idle-expired session: 401 authz.client_session_mismatch and the session ends', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      await t.dataSource.getRepository(Session).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
      await expectMismatchEndsSession(agent, () => undefined, user.id);
    });

    it('a session cached a moment ago still expires on time (idle expiry is checked on every request)', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await agent.get(ME)).status).toBe(200);
      // Expire the cached row itself: the check runs on it, not only on fresh reads.
      const cached = await t.dataSource.getRepository(Session).findOneByOrFail({ userId: user.id });
      const entry = t.get(SessionsService).cachedById(cached.id);
      expect(entry).toBeDefined();
      entry!.session.expiresAt = new Date(Date.now() - 1);
      expect((await agent.get(ME)).body).toEqual({ errors: ['authz.client_session_mismatch'] });
    });

    it('a local revocation is seen at once; one written by another instance within a second', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await agent.get(ME)).status).toBe(200);
      const session = await t.dataSource.getRepository(Session).findOneByOrFail({ userId: user.id });
      await t.get(SessionsService).revokeById(session.id);
      expect((await agent.get(ME)).body).toEqual({ errors: ['authz.invalid_session'] });

      const other = await agentWithRole(t, 'member');
      expect((await other.agent.get(ME)).status).toBe(200);
      await t.dataSource.getRepository(Session).update({ userId: other.user.id }, { revokedAt: new Date() });
      t.advanceClock(1100);
      expect((await other.agent.get(ME)).body).toEqual({ errors: ['authz.invalid_session'] });
    });

    it.each(['banned', 'deleted', 'locked'])('a %s user: 401 authz.user_not_active', async (state) => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await agent.get(ME)).status).toBe(200);
      await t.get(UsersService).update(user.id, { state });
      const res = await agent.get(ME);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.user_not_active'] });
    });

    it('a pending user passes', async () => {
      const { agent } = await agentWithRole(t, 'member', { state: 'pending' });
      const res = await agent.get(ME);
      expect(res.status).toBe(200);
      expect((await verifyWithJwks(t, bearer(res))).state).toBe('pending');
    });
  });

  describe('permissions', () => {
    it('member: resource/users/me allowed, admin/users denied with 401 authz.invalid_permission', async () => {
      const { agent } = await agentWithRole(t, 'member');
      expect((await agent.get(ME)).status).toBe(200);
      const denied = await agent.get('/api/v2/auth/api/v2/barong/admin/users');
      expect(denied.status).toBe(401);
      expect(denied.body).toEqual({ errors: ['authz.invalid_permission'] });
      expect(denied.headers.authorization).toBeUndefined();
    });

    it('admin is dropped on admin/permissions', async () => {
      const { agent } = await agentWithRole(t, 'admin');
      const denied = await agent.get('/api/v2/auth/api/v2/barong/admin/permissions');
      expect(denied.status).toBe(401);
      expect(denied.body).toEqual({ errors: ['authz.invalid_permission'] });
    });
  });

  describe('signing keys', () => {
    it('after rotation the JWKS keeps the old key, old tokens still verify, and new tokens use the new key', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const before = bearer(await agent.get(ME));
      const oldKid = JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid;
      const newKid = await t.get(JwtService).rotate();
      expect(newKid).not.toBe(oldKid);
      const jwks = (await t.agent().get<{ keys: Jwk[] }>('/.well-known/jwks.json')).body;
      expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
      await expect(verifyWithJwks(t, before)).resolves.toMatchObject({ sub: 'session' });
      const after = bearer(await agent.get(ME));
      expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);
      await expect(verifyWithJwks(t, after)).resolves.toMatchObject({ sub: 'session' });
    });
  });
});
