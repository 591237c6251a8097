import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { SecondFactor } from '../../src/identity/otp/second-factor.js';
import { Session } from '../../src/identity/sessions/session.entity.js';
import { User } from '../../src/identity/users/user.entity.js';
import { createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const DOMAIN = 'tenant.auth0.test';
const CLIENT_ID = 'auth0-client-123';
const KID = 'test-key-1';
const AUTH0 = '/api/v2/barong/identity/sessions/auth0';

/** A tiny Auth0 tenant: a JWKS endpoint and a signer for ID tokens. */
class FakeTenant {
  private server!: Server;
  jwksUrl = '';
  privateKey!: CryptoKey;
  otherKey!: CryptoKey;
  fetches = 0;

  async start(): Promise<void> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = pair.privateKey;
    this.otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    this.server = createServer((req, res) => {
      this.fetches++;
      if (req.url !== '/.well-known/jwks.json') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  sign(
    claims: JWTPayload,
    opts: { iss?: string; aud?: string; exp?: number | string; key?: CryptoKey; kid?: string } = {},
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? KID, typ: 'JWT' })
      .setIssuer(opts.iss ?? `https://${DOMAIN}/`)
      .setAudience(opts.aud ?? CLIENT_ID)
      .setSubject('auth0|abc123')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '10m')
      .sign(opts.key ?? this.privateKey);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const newEmail = (): string => `auth0-${Math.random().toString(16).slice(2, 10)}@example.com`;

describe('Auth0 login', () => {
  const tenant = new FakeTenant();
  let t: TestApp;

  beforeAll(async () => {
    await tenant.start();
    t = await createTestApp({
      BARONG_AUTH0_DOMAIN: DOMAIN,
      BARONG_AUTH0_CLIENT_ID: CLIENT_ID,
      BARONG_AUTH0_JWKS_URL: tenant.jwksUrl,
    });
    // OTP codes: "123456" is the valid one for every user.
    t.get(SecondFactor).register({ verify: async (_user, code) => (code === '123456' ? 'valid' : 'invalid') });
  });
  afterAll(async () => {
    await t?.close();
    await tenant.close();
  });

  const users = () => t.dataSource.getRepository(User);
  const activities = (userId: string) => t.dataSource.getRepository(Activity).find({ where: { userId }, order: { createdAt: 'ASC' } });

  it('public/configs/auth0 exposes the domain and client id without a session', async () => {
    const res = await t.agent().get('/api/v2/barong/public/configs/auth0');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ auth0_domain: DOMAIN, auth0_client_id: CLIENT_ID });
  });

  it('an unknown, verified e-mail becomes an active user with email:verified, signed in', async () => {
    const email = newEmail();
    const a = t.agent();
    const res = await a.post(AUTH0, { id_token: await tenant.sign({ email: email.toUpperCase(), email_verified: true }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, state: 'active', role: 'member', otp: false, csrf_token: expect.stringMatching(/^[0-9a-f]{20}$/) });
    expect(res.body.uid).toMatch(/^ID[0-9A-F]{10}$/);

    const user = await users().findOneByOrFail({ email });
    expect(user.state).toBe('active');
    const labels = await t.dataSource.getRepository(Label).find({ where: { userId: user.id } });
    expect(labels.map((l) => [l.key, l.value, l.scope])).toEqual([['email', 'verified', 'private']]);
    expect((await activities(user.id)).map((x) => [x.topic, x.action, x.result])).toEqual([['session', 'login', 'succeed']]);
    expect(await t.dataSource.getRepository(Session).count({ where: { userId: user.id } })).toBe(1);

    const cookie = a.setCookies.find((c) => c.startsWith(`${t.config.barong.sessionName}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    // The cookie is a working session on resource routes.
    expect((await a.get('/api/v2/barong/resource/swagger_doc')).status).toBe(200);
  });

  it('the cookie is Secure when the request came over https (trusted proxy)', async () => {
    const a = t.agent();
    const res = await a.post(AUTH0, { id_token: await tenant.sign({ email: newEmail(), email_verified: true }) }, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(201);
    expect(a.setCookies.find((c) => c.startsWith(`${t.config.barong.sessionName}=`))).toMatch(/Secure/i);
  });

  it('an existing user logs in even when the token says the e-mail is unverified; nothing is created', async () => {
    const user = await createUser(t, { state: 'pending' });
    const before = await users().count();
    const res = await t.agent().send('POST', AUTH0, { form: { id_token: await tenant.sign({ email: user.email, email_verified: false }) } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ uid: user.uid, email: user.email, state: 'pending' });
    expect(await users().count()).toBe(before);
    expect(await t.dataSource.getRepository(Label).count({ where: { userId: user.id } })).toBe(0);
    expect((await activities(user.id)).map((x) => [x.action, x.result])).toEqual([['login', 'succeed']]);
  });

  it('an unknown, unverified e-mail is 401 auth0.invalid_params and creates nobody', async () => {
    const email = newEmail();
    const res = await t.agent().post(AUTH0, { id_token: await tenant.sign({ email, email_verified: false }) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['identity.session.auth0.invalid_params'] });
    expect(await users().count({ where: { email } })).toBe(0);
  });

  it('a token without an e-mail claim is 401 auth0.invalid_params', async () => {
    const res = await t.agent().post(AUTH0, { id_token: await tenant.sign({ email_verified: true }) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['identity.session.auth0.invalid_params'] });
  });

  it.each([
    ['expired', () => tenant.sign({ email: newEmail(), email_verified: true }, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['for another audience', () => tenant.sign({ email: newEmail(), email_verified: true }, { aud: 'someone-else' })],
    ['from another issuer', () => tenant.sign({ email: newEmail(), email_verified: true }, { iss: 'https://evil.auth0.test/' })],
    ['signed by another key', () => tenant.sign({ email: newEmail(), email_verified: true }, { key: tenant.otherKey })],
    ['signed with an unknown kid', () => tenant.sign({ email: newEmail(), email_verified: true }, { kid: 'nope' })],
    ['not a JWT', async () => 'not-a-jwt'],
    [
      'HS256 with the client id as secret',
      () =>
        new SignJWT({ email: newEmail(), email_verified: true })
          .setProtectedHeader({ alg: 'HS256', kid: KID })
          .setIssuer(`https://${DOMAIN}/`)
          .setAudience(CLIENT_ID)
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(CLIENT_ID.padEnd(32, 'x'))),
    ],
  ])('a token %s is 422 auth0.invalid_params, no user, no session', async (_, token) => {
    const before = await users().count();
    const sessions = await t.dataSource.getRepository(Session).count();
    const res = await t.agent().post(AUTH0, { id_token: await token() });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: ['identity.session.auth0.invalid_params'] });
    expect(await users().count()).toBe(before);
    expect(await t.dataSource.getRepository(Session).count()).toBe(sessions);
  });

  it('a missing or blank id_token is a 422 validation error', async () => {
    const missing = await t.agent().post(AUTH0, {});
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ errors: ['identity.session.missing_id_token', 'identity.session.empty_id_token'] });
    const blank = await t.agent().post(AUTH0, { id_token: '  ' });
    expect(blank.status).toBe(422);
    expect(blank.body).toEqual({ errors: ['identity.session.empty_id_token'] });
  });

  it.each([
    ['banned', 'identity.session.banned'],
    ['deleted', 'identity.session.deleted'],
    ['locked', 'identity.session.not_active'],
  ])('a %s user gets 401 %s, no session, a failed activity', async (state, code) => {
    const user = await createUser(t, { state });
    const res = await t.agent().post(AUTH0, { id_token: await tenant.sign({ email: user.email, email_verified: true }) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [code] });
    expect(await t.dataSource.getRepository(Session).count({ where: { userId: user.id } })).toBe(0);
    const [activity] = await activities(user.id);
    expect(activity).toMatchObject({ topic: 'session', action: 'login', result: 'failed' });
    expect(JSON.parse(activity!.data!)).toMatchObject({ reason: expect.any(String) });
  });

  it('a user with 2FA must send a valid otp_code', async () => {
    const user = await createUser(t, { otp: true });
    const token = await tenant.sign({ email: user.email, email_verified: true });

    const missing = await t.agent().post(AUTH0, { id_token: token });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ errors: ['identity.session.missing_otp'] });
    expect(await activities(user.id)).toHaveLength(0);

    const invalid = await t.agent().post(AUTH0, { id_token: token, otp_code: '000000' });
    expect(invalid.status).toBe(403);
    expect(invalid.body).toEqual({ errors: ['identity.session.invalid_otp'] });
    expect(await t.dataSource.getRepository(Session).count({ where: { userId: user.id } })).toBe(0);

    const ok = await t.agent().post(AUTH0, { id_token: token, otp_code: '123456' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ uid: user.uid, otp: true });
    expect((await activities(user.id)).map((x) => [x.action, x.result])).toEqual([
      ['login::2fa', 'failed'],
      ['login::2fa', 'succeed'],
    ]);
    expect(await t.dataSource.getRepository(Session).count({ where: { userId: user.id } })).toBe(1);
  });

  it('the key set is fetched once and cached', async () => {
    const before = tenant.fetches;
    for (let i = 0; i < 3; i++) {
      expect((await t.agent().post(AUTH0, { id_token: await tenant.sign({ email: newEmail(), email_verified: true }) })).status).toBe(201);
    }
    expect(tenant.fetches).toBe(before);
  });
});

describe('Auth0 login with the key set unreachable or Auth0 not configured', () => {
  const tenant = new FakeTenant();
  let down: TestApp;
  let unconfigured: TestApp;
  beforeAll(async () => {
    await tenant.start();
    down = await createTestApp({
      BARONG_AUTH0_DOMAIN: DOMAIN,
      BARONG_AUTH0_CLIENT_ID: CLIENT_ID,
      BARONG_AUTH0_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    });
    unconfigured = await createTestApp();
  });
  afterAll(async () => {
    await down?.close();
    await unconfigured?.close();
    await tenant.close();
  });

  it('JWKS fetch failure is 422 auth0.invalid_params', async () => {
    const res = await down.agent().post(AUTH0, { id_token: await tenant.sign({ email: newEmail(), email_verified: true }) });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: ['identity.session.auth0.invalid_params'] });
  });

  it('without a domain and client id every token is refused and the config says null', async () => {
    const res = await unconfigured.agent().post(AUTH0, { id_token: await tenant.sign({ email: newEmail(), email_verified: true }) });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: ['identity.session.auth0.invalid_params'] });
    expect((await unconfigured.agent().get('/api/v2/barong/public/configs/auth0')).body).toEqual({ auth0_domain: null, auth0_client_id: null });
  });
});
