import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import { RestrictionsScreen } from '../../src/access/restrictions/restrictions.screen.js';
import { createNetwork, email, GO_TIME, lastCode, NETWORK_PASSWORD, networkName, nget, npost, UUID } from '../support/network.js';
import { createTestApp, TestApp } from '../support/test-app.js';
import { DEFAULT_APP_ID } from '../../src/identity/tenants/app.entity.js';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';

describe('network face: auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const jwks = async () => createLocalJWKSet((await t.agent().get('/.well-known/jwks.json')).body as JSONWebKeySet);

  describe('network-check', () => {
    it('accepts a long single-label name and refuses short, dashed, or near names', async () => {
      const a = t.agent();
      const name = networkName();
      expect((await npost(a, '/auth/network-check', { network_name: name })).body).toEqual({ available: true });
      for (const bad of ['short1', 'has-dash-name', 'with space name', 'x'.repeat(64), '']) {
        expect((await npost(a, '/auth/network-check', { network_name: bad })).body).toEqual({ available: false });
      }
      await createNetwork(t, { name });
      expect((await npost(a, '/auth/network-check', { network_name: name.toUpperCase() })).body.available).toBe(false);
      // Two edits away from an existing name is still too close; three is fine.
      expect((await npost(a, '/auth/network-check', { network_name: name.slice(0, -2) + 'zz' })).body.available).toBe(false);
      expect((await npost(a, '/auth/network-check', { network_name: 'qqq' + name.slice(3) })).body.available).toBe(true);
    });

    it('a wrong type is a 400 in the face format, never a 500', async () => {
      const res = await npost(t.agent(), '/auth/network-check', { network_name: 12 });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toEqual(expect.any(String));
    });

    it('malformed JSON is a 400', async () => {
      const res = await t.agent().post('/auth/network-check', '{"network_name":', { headers: { 'content-type': 'text/json' } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toEqual(expect.any(String));
    });
  });

  describe('network-create and verify', () => {
    it('reserves the name, mails a code, answers without a JWT; verify gives the admin JWT once', async () => {
      const a = t.agent();
      const user = email();
      const name = networkName();
      const created = await npost(a, '/auth/network-create', { user_auth: ` ${user.toUpperCase()} `, password: NETWORK_PASSWORD, network_name: name, terms: true, user_name: 'Ann' });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({ network: { network_id: expect.stringMatching(UUID), network_name: name }, verification_required: { user_auth: user } });
      expect(JSON.stringify(created.body)).not.toContain('by_jwt');
      expect((await npost(a, '/auth/network-check', { network_name: name })).body.available).toBe(false);
      const code = await lastCode(t, user);
      expect(code).toMatch(/^[0-9a-f]{8}$/);
      // Not stored in plain text.
      const rows = await t.dataSource.query('SELECT code_hash FROM network_user_codes');
      expect(JSON.stringify(rows)).not.toContain(code);

      const early = await npost(a, '/auth/login-with-password', { user_auth: user, password: NETWORK_PASSWORD });
      expect(early.body).toEqual({ verification_required: { user_auth: user }, network: { name } });
      const latest = await lastCode(t, user);

      expect((await npost(a, '/auth/verify', { user_auth: user, verify_code: 'deadbeef' })).body).toEqual({ error: { message: 'Invalid code.' } });
      const ok = await npost(a, '/auth/verify', { user_auth: user, verify_code: latest.toUpperCase() });
      expect(ok.body.network.by_jwt).toEqual(expect.any(String));
      expect((await npost(a, '/auth/verify', { user_auth: user, verify_code: latest })).body).toEqual({ error: { message: 'Invalid code.' } });

      // One identity: the Barong face sees the same user, active with the e-mail label.
      const row = await t.get(UsersService).findByEmail(user, DEFAULT_APP_ID);
      expect(row!.state).toBe('active');
      const signed = await t.agent().post('/api/v2/barong/identity/sessions', { email: user, password: NETWORK_PASSWORD });
      expect(signed.status).toBe(200);
      expect(signed.body.email).toBe(user);
    });

    it('documents its errors: terms, name taken, bad user_auth, existing account', async () => {
      const a = t.agent();
      const taken = await createNetwork(t);
      const base = { user_auth: email(), password: NETWORK_PASSWORD, network_name: networkName(), terms: true };
      expect((await npost(a, '/auth/network-create', { ...base, terms: false })).body.error.message).toBe('The terms of service and privacy policy must be accepted.');
      expect((await npost(a, '/auth/network-create', { ...base, network_name: taken.name })).body.error.message).toBe('Network name not available.');
      expect((await npost(a, '/auth/network-create', { ...base, user_auth: 'not an address' })).body.error.message).toBe('Invalid email or phone number.');
      expect((await npost(a, '/auth/network-create', { ...base, user_auth: taken.email })).body.error.message).toBe('Account might already exist. Please start over.');
    });

    it('takes an E.164 phone number and texts a numeric code through the SMS outbox', async () => {
      const a = t.agent();
      const name = networkName();
      const created = await npost(a, '/auth/network-create', { user_auth: '+1 650 253 0000', password: NETWORK_PASSWORD, network_name: name, terms: true, verify_use_numeric: true });
      expect(created.body.verification_required).toEqual({ user_auth: '+16502530000' });
      const code = await lastCode(t, '+16502530000');
      expect(code).toMatch(/^\d{6}$/);
      const sms = await t.get(OutboxService).messagesTo('sms', '+16502530000');
      expect(sms.map((m) => m.channel)).toEqual(['sms']);
      const ok = await npost(a, '/auth/verify', { user_auth: '(650) 253-0000', verify_code: code });
      expect(ok.body.network.by_jwt).toEqual(expect.any(String));
      expect((await npost(a, '/auth/login', { user_auth: '+16502530000' })).body).toEqual({ user_auth: '+16502530000', auth_allowed: ['password'] });
    });
  });

  describe('login', () => {
    it('tells how to sign in and never returns a JWT', async () => {
      const n = await createNetwork(t);
      const a = t.agent();
      expect((await npost(a, '/auth/login', { user_auth: n.email })).body).toEqual({ user_auth: n.email, auth_allowed: ['password'] });
      expect((await npost(a, '/auth/login', { user_auth: 'nobody-here@example.com' })).body).toEqual({ user_auth: 'nobody-here@example.com' });
      expect((await npost(a, '/auth/login', { user_auth: 'garbage' })).body).toEqual({ error: { message: 'Invalid email or phone number.' } });
    });

    it('login-with-password: wrong password, unknown user, success with claims of the documented types', async () => {
      const n = await createNetwork(t);
      const a = t.agent();
      expect((await npost(a, '/auth/login-with-password', { user_auth: n.email, password: 'wrong-password-1' })).body).toEqual({ error: { message: 'Invalid user or password.' } });
      expect((await npost(a, '/auth/login-with-password', { user_auth: 'nobody-x@example.com', password: 'whatever-pass' })).body.error.message).toBe('Invalid user or password.');
      const ok = await npost(a, '/auth/login-with-password', { user_auth: n.email, password: NETWORK_PASSWORD });
      const jwt = ok.body.network.by_jwt as string;
      expect(['ES256', 'RS256']).toContain(decodeProtectedHeader(jwt).alg);
      const { payload } = await jwtVerify(jwt, await jwks());
      expect(payload).toEqual(
        expect.objectContaining({ network_id: n.networkId, network_name: n.name, user_id: expect.stringMatching(UUID), create_time: expect.stringMatching(GO_TIME), exp: expect.any(Number) }),
      );
      expect(payload.client_id).toBeUndefined();
      expect(payload.device_id).toBeUndefined();
      expect(Number.isInteger(payload.exp)).toBe(true);
      const failed = await t.dataSource.getRepository(Activity).find({ where: { topic: 'session', action: 'network login' } });
      expect(failed.map((x) => x.result)).toEqual(expect.arrayContaining(['failed', 'succeed']));
    });

    it('refuses banned users on both faces', async () => {
      const n = await createNetwork(t);
      const user = await t.get(UsersService).findByEmail(n.email, DEFAULT_APP_ID);
      await t.get(UsersService).update(user!.id, { state: 'banned' });
      const res = await npost(t.agent(), '/auth/login-with-password', { user_auth: n.email, password: NETWORK_PASSWORD });
      expect(res.body.error.message).toBe('Invalid user or password.');
      // The JWT it had stops working at once: the ban evicts the cached session state.
      expect((await nget(t.agent(), '/network/clients', n.jwt)).status).toBe(401);
    });

    it('refuses after 10 failures per account in the window, while an app burst with a few wrong passwords passes', async () => {
      const n = await createNetwork(t);
      const a = t.agent();
      for (let i = 0; i < 2; i++) await npost(a, '/auth/login-with-password', { user_auth: n.email, password: 'wrong-password-x' });
      for (let i = 0; i < 45; i++) expect((await npost(a, '/auth/login', { user_auth: n.email })).body.auth_allowed).toEqual(['password']);
      expect((await npost(a, '/auth/login-with-password', { user_auth: n.email, password: NETWORK_PASSWORD })).body.network.by_jwt).toEqual(expect.any(String));
      for (let i = 0; i < 10; i++) await npost(t.agent(), '/auth/login-with-password', { user_auth: n.email, password: `wrong-${i}-password` });
      const blocked = await npost(t.agent(), '/auth/login-with-password', { user_auth: n.email, password: NETWORK_PASSWORD });
      expect(blocked.body).toEqual({ error: { message: 'User auth attempts exceeded limits.' } });
    });
  });

  describe('tokens', () => {
    it('forged, alg none, expired and unknown-issuer tokens get 401 on authenticated routes', async () => {
      const n = await createNetwork(t);
      const a = t.agent();
      expect((await nget(a, '/network/clients', n.jwt)).status).toBe(200);
      const [h, p, s] = n.jwt.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, network_id: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s}`;
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
      const expired = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: 1000 })).toString('base64url')}.${s}`;
      for (const bad of [tampered, none, expired, 'garbage', '']) {
        const res = await nget(a, '/network/clients', bad);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { message: 'Not authorized.' } });
      }
      expect((await nget(a, '/network/clients')).status).toBe(401);
      // The connectivity probe ignores the bearer.
      expect((await nget(a, '/hello', 'garbage')).status).toBe(200);
    });

    it('password reset: the same answer for unknown users, single-use code, other sessions end', async () => {
      const n = await createNetwork(t);
      const a = t.agent();
      expect((await npost(a, '/auth/password-reset', { user_auth: 'unknown-u@example.com' })).body).toEqual({ user_auth: 'unknown-u@example.com' });
      expect((await npost(a, '/auth/password-reset', { user_auth: n.email })).body).toEqual({ user_auth: n.email });
      const code = await lastCode(t, n.email);
      expect(code).toMatch(/^[0-9a-f]{128}$/);
      expect((await npost(a, '/auth/password-set', { reset_code: 'f'.repeat(128), password: 'another-passw0rd' })).body).toEqual({ error: { message: 'Invalid login.' } });
      expect((await npost(a, '/auth/password-set', { reset_code: code, password: 'another-passw0rd' })).body).toEqual({});
      expect((await npost(a, '/auth/password-set', { reset_code: code, password: 'third-passw0rd-x' })).body.error.message).toBe('Invalid login.');
      expect((await nget(a, '/network/clients', n.jwt)).status).toBe(401);
      expect((await npost(a, '/auth/login-with-password', { user_auth: n.email, password: NETWORK_PASSWORD })).body.error).toBeDefined();
      expect((await npost(a, '/auth/login-with-password', { user_auth: n.email, password: 'another-passw0rd' })).body.network.by_jwt).toEqual(expect.any(String));
      const mails = await t.mailsTo(n.email);
      expect(mails.map((m) => m.template)).toEqual(expect.arrayContaining(['network_password_reset', 'network_password_changed']));
    });

    it('verify-send answers the same for unknown users and sends a new code to unverified ones', async () => {
      const a = t.agent();
      const user = email();
      await npost(a, '/auth/network-create', { user_auth: user, password: NETWORK_PASSWORD, network_name: networkName(), terms: true });
      const first = await lastCode(t, user);
      expect((await npost(a, '/auth/verify-send', { user_auth: user, use_numeric: true })).body).toEqual({ user_auth: user });
      const second = await lastCode(t, user);
      expect(second).toMatch(/^\d{6}$/);
      expect((await npost(a, '/auth/verify', { user_auth: user, verify_code: first })).body.error.message).toBe('Invalid code.');
      expect((await npost(a, '/auth/verify-send', { user_auth: 'nobody-v@example.com' })).body).toEqual({ user_auth: 'nobody-v@example.com' });
    });

    it('code-create (admin JWT only) and code-login honour duration and uses, capped', async () => {
      const n = await createNetwork(t);
      const a = t.agent();
      const code = await npost(a, '/auth/code-create', { duration_minutes: 5, uses: 2 }, n.jwt);
      expect(code.body).toEqual({ auth_code: expect.any(String), duration_minutes: 5, uses: 2 });
      const capped = await npost(a, '/auth/code-create', { duration_minutes: 1e6, uses: 1e6 }, n.jwt);
      expect(capped.body).toEqual(expect.objectContaining({ duration_minutes: 1440, uses: 100 }));
      const first = await npost(a, '/auth/code-login', { auth_code: code.body.auth_code });
      const { payload } = await jwtVerify(first.body.by_jwt, await jwks());
      const root = JSON.parse(Buffer.from(n.jwt.split('.')[1]!, 'base64url').toString());
      expect(payload).toEqual(expect.objectContaining({ network_id: n.networkId, create_time: root.create_time }));
      expect((await npost(a, '/auth/code-login', { auth_code: code.body.auth_code })).body.by_jwt).toEqual(expect.any(String));
      expect((await npost(a, '/auth/code-login', { auth_code: code.body.auth_code })).body).toEqual({ error: { message: 'Invalid auth code.' } });
      const client = await npost(a, '/network/auth-client', { description: 'cli' }, n.jwt);
      const refused = await npost(a, '/auth/code-create', {}, client.body.by_client_jwt);
      expect(refused.body.error).toEqual({ auth_code_limit_exceeded: true, message: 'A client JWT cannot create an auth code.' });
      expect((await npost(a, '/auth/code-create', {})).status).toBe(401);
      expect((await npost(a, '/auth/code-create', { uses: 'two' }, n.jwt)).status).toBe(400);
    });

    it('a login on the network face is covered by blocklogin restrictions', async () => {
      const n = await createNetwork(t);
      await t.dataSource.query(`INSERT INTO restrictions (category, scope, value, code, state) VALUES ('blocklogin', 'ip', '192.0.2.77', 451, 'enabled')`);
      await t.get(RestrictionsScreen).reload();
      try {
        const blocked = t.agent({ ip: '192.0.2.77' });
        expect((await npost(blocked, '/auth/login-with-password', { user_auth: n.email, password: NETWORK_PASSWORD })).status).toBe(451);
        // Other network routes from that IP still work.
        expect((await npost(blocked, '/auth/network-check', { network_name: networkName() })).status).toBe(200);
      } finally {
        await t.dataSource.query('DELETE FROM restrictions');
        await t.get(RestrictionsScreen).reload();
      }
    });
  });

  it('an unknown root path answers in the network dialect', async () => {
    const res = await t.agent().get('/no/such/path');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { message: '404 page not found' } });
  });
});
