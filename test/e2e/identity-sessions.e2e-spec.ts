import { jest } from '@jest/globals';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { SecondFactor, type SecondFactorVerifier } from '../../src/identity/otp/second-factor.js';
import { Session } from '../../src/identity/sessions/session.entity.js';
import { createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const SESSIONS = '/api/v2/barong/identity/sessions';
const ME = '/api/v2/barong/resource/users/me';

describe('identity/sessions: login, logout, session rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BARONG_SESSION_EXPIRE_TIME: '1800' });
  });
  afterAll(() => t.close());

  /** Live sessions are cached in process for up to a second; direct SQL changes show after that. */
  const cacheExpiry = async () => t.advanceClock(1100);
  const activities = (userId: string) => t.dataSource.getRepository(Activity).find({ where: { userId }, order: { createdAt: 'ASC' } });

  it('logs in with e-mail (any case) and password: cookie, csrf token, session row with a hashed token', async () => {
    const user = await createUser(t, { email: 'login@example.com' });
    const a = t.agent();
    const res = await a.post(SESSIONS, { email: 'LOGIN@example.com', password: STRONG_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uid: user.uid, email: 'login@example.com', state: 'active' });
    expect(res.body.csrf_token).toMatch(/^[0-9a-f]{20}$/);
    const token = a.cookies.get('_barong_session')!;
    const rows = await t.dataSource.getRepository(Session).findBy({ userId: user.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]).toMatchObject({ userIp: a.ip, userAgent: 'jest-agent/1.0', csrfToken: res.body.csrf_token });
    expect(rows[0]!.absoluteExpiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeGreaterThan(86_000_000);
    expect((await activities(user.id)).map((x) => `${x.topic}/${x.action}/${x.result}`)).toEqual(['session/login/succeed']);
    expect((await a.get(ME)).body.uid).toBe(user.uid);
  });

  it('unknown e-mail and wrong password look identical', async () => {
    await createUser(t, { email: 'known@example.com' });
    const unknown = await t.agent().post(SESSIONS, { email: 'unknown@example.com', password: STRONG_PASSWORD });
    const wrong = await t.agent().post(SESSIONS, { email: 'known@example.com', password: 'Wr0ng!Password#x' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual({ errors: ['identity.session.invalid_params'] });
    expect(wrong.body).toEqual(unknown.body);
  });

  it('validates the body', async () => {
    const res = await t.agent().post(SESSIONS, {});
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      errors: ['identity.session.missing_email', 'identity.session.empty_email', 'identity.session.missing_password', 'identity.session.empty_password'],
    });
  });

  it.each([
    ['banned', 'identity.session.banned', 'Your account is banned'],
    ['deleted', 'identity.session.deleted', 'Your account is deleted'],
    ['locked', 'identity.session.not_active', 'Your account is not active'],
  ])('refuses a %s account with %s and records why', async (state, code, reason) => {
    const user = await createUser(t, { state });
    const res = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [code] });
    const [act] = await activities(user.id);
    expect(act).toMatchObject({ topic: 'session', action: 'login', result: 'failed' });
    expect(JSON.parse(act!.data!)).toEqual({ reason });
  });

  it('a pending user may log in', async () => {
    const user = await createUser(t, { state: 'pending' });
    expect((await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it('throttles after 5 failures per e-mail from one IP: 429 even with the right password, recorded', async () => {
    const user = await createUser(t, { email: 'throttle@example.com' });
    const ip = '10.76.0.1';
    for (let i = 0; i < 5; i++) {
      const res = await t.agent({ ip }).post(SESSIONS, { email: user.email, password: `Wr0ng!Password#${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await t.agent({ ip }).post(SESSIONS, { email: user.email, password: STRONG_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ errors: ['identity.session.too_many_attempts'] });
    const last = (await activities(user.id)).pop();
    expect(last).toMatchObject({ action: 'login', result: 'failed' });
    expect(JSON.parse(last!.data!)).toEqual({ reason: 'Too many attempts' });
  });

  it('throttles after 30 failures per client IP across e-mails', async () => {
    const a = t.agent({ ip: '10.77.0.1' });
    for (let i = 0; i < 30; i++) await a.post(SESSIONS, { email: `spray${i}@example.com`, password: 'Wr0ng!Password#1' });
    const user = await createUser(t);
    const res = await t.agent({ ip: '10.77.0.1' }).post(SESSIONS, { email: user.email, password: STRONG_PASSWORD });
    expect(res.status).toBe(429);
    expect((await t.agent({ ip: '10.78.0.1' }).post(SESSIONS, { email: user.email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  describe('with 2FA on', () => {
    const verifier = { verify: jest.fn<SecondFactorVerifier['verify']>() };
    beforeAll(() => t.get(SecondFactor).register(verifier));

    it('demands the code, refuses a wrong one with 403, accepts a right one', async () => {
      const user = await createUser(t, { otp: true });
      const missing = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ errors: ['identity.session.missing_otp'] });

      verifier.verify.mockResolvedValueOnce('invalid');
      const wrong = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: '000000' });
      expect(wrong.status).toBe(403);
      expect(wrong.body).toEqual({ errors: ['identity.session.invalid_otp'] });

      verifier.verify.mockResolvedValueOnce('valid');
      const ok = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: '123456' });
      expect(ok.status).toBe(200);
      expect(verifier.verify).toHaveBeenLastCalledWith(expect.objectContaining({ id: user.id }), '123456', { allowRecoveryCode: true });
      expect((await activities(user.id)).map((x) => `${x.action}/${x.result}`)).toEqual(['login::2fa/failed', 'login::2fa/succeed']);

      verifier.verify.mockResolvedValueOnce('rate_limited');
      const limited = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: '123456' });
      expect(limited.status).toBe(429);
    });
  });

  describe('session rules on the service\'s own routes', () => {
    it('logout ends the session and clears the cookie; a second logout is 404', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      const token = a.cookies.get('_barong_session')!;
      const res = await a.delete(SESSIONS);
      expect(res.status).toBe(200);
      expect(a.cookies.has('_barong_session')).toBe(false);
      a.cookies.set('_barong_session', token);
      expect((await a.get(ME)).status).toBe(401);
      const again = await a.delete(SESSIONS);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ errors: ['identity.session.not_found'] });
      expect((await activities(user.id)).map((x) => `${x.action}/${x.result}`)).toEqual(['logout/succeed']);
    });

    it('requires the CSRF token on cookie-authenticated writes', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      const missing = await a.put(ME, { data: '{}' }, { noCsrf: true });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ errors: ['authz.missing_csrf_token'] });
      const wrong = await a.put(ME, { data: '{}' }, { headers: { 'x-csrf-token': 'nope' } });
      expect(wrong.body).toEqual({ errors: ['authz.csrf_token_mismatch'] });
      expect((await a.put(ME, { data: '{}' })).status).toBe(200);
      expect((await a.get(ME, { noCsrf: true })).status).toBe(200);
    });

    it('binds the session to the user agent and the client /16 network, and ends it on mismatch', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent({ ip: '10.20.1.1' }), user);
      a.ip = '10.20.200.7';
      expect((await a.get(ME)).status).toBe(200);
      a.ip = '10.21.1.1';
      const moved = await a.get(ME);
      expect(moved.status).toBe(401);
      expect(moved.body).toEqual({ errors: ['authz.client_session_mismatch'] });
      a.ip = '10.20.1.1';
      expect((await a.get(ME)).body).toEqual({ errors: ['authz.invalid_session'] });

      const b = await signIn(t, t.agent(), user);
      b.userAgent = 'another-browser/2.0';
      expect((await b.get(ME)).body).toEqual({ errors: ['authz.client_session_mismatch'] });
    });

    it('expires after the idle time, and slides while used', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      await t.dataSource.query(`UPDATE sessions SET last_seen_at = now() - interval '10 minutes', expires_at = now() + interval '1 minute' WHERE user_id = $1`, [user.id]);
      await cacheExpiry();
      expect((await a.get(ME)).status).toBe(200);
      const [row] = await t.dataSource.query(`SELECT extract(epoch FROM expires_at - now())::int AS left FROM sessions WHERE user_id = $1`, [user.id]);
      expect(row.left).toBeGreaterThan(1700);
      await t.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
      await cacheExpiry();
      expect((await a.get(ME)).body).toEqual({ errors: ['authz.client_session_mismatch'] });
    });

    it('never outlives the absolute cap', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      await t.dataSource.query(`UPDATE sessions SET absolute_expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
      await cacheExpiry();
      expect((await a.get(ME)).status).toBe(401);
    });

    it('refuses a session whose user is no longer active', async () => {
      const user = await createUser(t);
      const a = await signIn(t, t.agent(), user);
      await t.dataSource.query(`UPDATE users SET state = 'banned' WHERE id = $1`, [user.id]);
      await cacheExpiry();
      const res = await a.get(ME);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.user_not_active'] });
    });

    it('without a session the resource routes answer 401 authz.invalid_session', async () => {
      const res = await t.agent().get(ME);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.invalid_session'] });
    });
  });
});
