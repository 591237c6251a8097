import { Activity } from '../../src/core/audit/activity.entity.js';
import { Session } from '../../src/identity/sessions/session.entity.js';
import { User } from '../../src/identity/users/user.entity.js';
import { IsNull } from 'typeorm';
import { UserToken } from '../../src/identity/users/user-token.entity.js';
import { createUser, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp, tokenFromMail } from '../support/test-app.js';

const USERS = '/api/v2/barong/identity/users';

describe('identity/users: registration, e-mail confirmation, password reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const userRow = (email: string) => t.dataSource.getRepository(User).findOneByOrFail({ email: email.toLowerCase() });

  describe('POST identity/users', () => {
    it('registers a pending user, opens a session at once, and mails a confirmation token', async () => {
      const a = t.agent();
      const res = await a.post(USERS, { email: 'Alice@Example.com', password: STRONG_PASSWORD, username: 'alice01', data: '{"language":"en"}' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: 'alice@example.com',
        username: 'alice01',
        role: 'member',
        state: 'pending',
        level: 0,
        otp: false,
        data: '{"language":"en"}',
        labels: [],
        phones: [],
        profiles: [],
        data_storages: [],
      });
      expect(res.body.uid).toMatch(/^ID[0-9A-F]{10}$/);
      expect(res.body.csrf_token).toMatch(/^[0-9a-f]{20}$/);
      const cookie = a.setCookies.find((c) => c.startsWith('_barong_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).not.toMatch(/Secure/i);
      // The session works right away.
      expect((await a.get('/api/v2/barong/resource/users/me')).body.email).toBe('alice@example.com');

      const row = await t.dataSource.query(`SELECT password_digest FROM users WHERE email = 'alice@example.com'`);
      expect(row[0].password_digest).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      const mails = await t.mailsTo('alice@example.com');
      expect(mails).toHaveLength(1);
      expect(mails[0]!.body).toContain('/accounts/confirmation?confirmation_token=');
      const token = tokenFromMail(mails[0]!.body);
      const stored = await t.dataSource.getRepository(UserToken).find({ where: { purpose: 'confirm_email' } });
      expect(stored.map((s) => s.tokenHash)).not.toContain(token);
      const signup = await t.dataSource.getRepository(Activity).findOneBy({ topic: 'account', action: 'signup' });
      expect(signup).toMatchObject({ result: 'succeed', category: 'user', userAgent: 'jest-agent/1.0' });
    });

    it('is also accepted as a form-encoded body', async () => {
      const res = await t.agent().send('POST', USERS, { form: { email: 'form@example.com', password: STRONG_PASSWORD } });
      expect(res.status).toBe(201);
      expect(res.body.email).toBe('form@example.com');
    });

    it('refuses a duplicate e-mail in any letter case', async () => {
      await t.agent().post(USERS, { email: 'dup@example.com', password: STRONG_PASSWORD });
      const res = await t.agent().post(USERS, { email: 'DUP@Example.COM', password: STRONG_PASSWORD });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['email.taken'] });
      expect(await t.dataSource.getRepository(User).countBy({ email: 'dup@example.com' })).toBe(1);
    });

    it.each([
      [{}, ['identity.user.missing_email', 'identity.user.empty_email', 'identity.user.missing_password', 'identity.user.empty_password']],
      [{ email: '', password: STRONG_PASSWORD }, ['identity.user.empty_email']],
      [{ email: 'not-an-email', password: STRONG_PASSWORD }, ['email.invalid']],
      [{ email: 'weak1@example.com', password: 'password' }, ['password.requirements']],
      [{ email: 'weak2@example.com', password: 'Aaaaaaa1!' }, ['password.weak']],
      [{ email: 'u1@example.com', password: STRONG_PASSWORD, username: 'abc' }, ['username.too_short']],
      [{ email: 'u2@example.com', password: STRONG_PASSWORD, username: 'abcdefghijklm' }, ['username.too_long']],
      [{ email: 'u3@example.com', password: STRONG_PASSWORD, username: 'ab_cd' }, ['username.invalid']],
      [{ email: 'd1@example.com', password: STRONG_PASSWORD, data: '{nope' }, ['data.invalid_format']],
      [{ email: 'r1@example.com', password: STRONG_PASSWORD, refid: 'XX123' }, ['identity.user.invalid_referral_format']],
      [{ email: 'r2@example.com', password: STRONG_PASSWORD, refid: 'ID0000000000' }, ['identity.user.referral_doesnt_exist']],
    ])('rejects %j with %j and writes nothing', async (body, errors) => {
      const before = await t.dataSource.getRepository(User).count();
      const res = await t.agent().post(USERS, body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors });
      expect(await t.dataSource.getRepository(User).count()).toBe(before);
    });

    it('records the referrer and refuses a taken username', async () => {
      const referrer = await createUser(t);
      const res = await t.agent().post(USERS, { email: 'ref@example.com', password: STRONG_PASSWORD, refid: referrer.uid, username: 'bobby' });
      expect(res.status).toBe(201);
      expect(res.body.referral_uid).toBe(referrer.uid);
      const again = await t.agent().post(USERS, { email: 'ref2@example.com', password: STRONG_PASSWORD, username: 'BOBBY' });
      expect(again.body).toEqual({ errors: ['username.taken'] });
    });
  });

  describe('e-mail confirmation', () => {
    it('confirms with the mailed token: email:verified label, state active, level 1, a fresh session', async () => {
      await t.agent().post(USERS, { email: 'confirm@example.com', password: STRONG_PASSWORD });
      const token = tokenFromMail((await t.mailsTo('confirm@example.com'))[0]!.body);
      const a = t.agent();
      const res = await a.post(`${USERS}/email/confirm_code`, { token });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ state: 'active', level: 1 });
      expect(res.body.labels).toEqual([expect.objectContaining({ key: 'email', value: 'verified', scope: 'private' })]);
      expect(res.body.csrf_token).toBeDefined();
      expect((await a.get('/api/v2/barong/resource/users/me')).status).toBe(200);
      expect(await userRow('confirm@example.com')).toMatchObject({ state: 'active', level: 1 });

      const reuse = await t.agent().post(`${USERS}/email/confirm_code`, { token });
      expect(reuse.status).toBe(422);
      expect(reuse.body).toEqual({ errors: ['identity.user.utilized_token'] });
    });

    it('resend: only the latest token works; unknown and active e-mails answer the same and get no mail', async () => {
      await t.agent().post(USERS, { email: 'resend@example.com', password: STRONG_PASSWORD });
      const first = tokenFromMail((await t.mailsTo('resend@example.com'))[0]!.body);
      const res = await t.agent().post(`${USERS}/email/generate_code`, { email: 'RESEND@example.com' });
      expect(res.status).toBe(201);
      expect(res.text).toBe('');
      const mails = await t.mailsTo('resend@example.com');
      expect(mails).toHaveLength(2);
      const second = tokenFromMail(mails[1]!.body);
      expect((await t.agent().post(`${USERS}/email/confirm_code`, { token: first })).body).toEqual({ errors: ['identity.user.utilized_token'] });
      expect((await t.agent().post(`${USERS}/email/confirm_code`, { token: second })).status).toBe(201);

      const unknown = await t.agent().post(`${USERS}/email/generate_code`, { email: 'nobody@example.com' });
      expect(unknown.status).toBe(201);
      expect(await t.mailsTo('nobody@example.com')).toHaveLength(0);
      await t.agent().post(`${USERS}/email/generate_code`, { email: 'resend@example.com' });
      expect(await t.mailsTo('resend@example.com')).toHaveLength(2);
    });

    it('rejects unknown, expired and missing tokens', async () => {
      expect((await t.agent().post(`${USERS}/email/confirm_code`, { token: 'garbage' })).body).toEqual({ errors: ['jwt.decode_and_verify.invalid'] });
      expect((await t.agent().post(`${USERS}/email/confirm_code`, {})).body).toEqual({ errors: ['identity.user.missing_token', 'identity.user.empty_token'] });
      await t.agent().post(USERS, { email: 'expired@example.com', password: STRONG_PASSWORD });
      const token = tokenFromMail((await t.mailsTo('expired@example.com'))[0]!.body);
      await t.dataSource.query(`UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'confirm_email' AND used_at IS NULL`);
      const res = await t.agent().post(`${USERS}/email/confirm_code`, { token });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['jwt.decode_and_verify.expired'] });
    });
  });

  describe('password reset', () => {
    it('resets with the latest token, ends every session, and the new password logs in', async () => {
      const user = await createUser(t, { email: 'reset@example.com' });
      const victim = t.agent();
      expect((await victim.post('/api/v2/barong/identity/sessions', { email: 'reset@example.com', password: STRONG_PASSWORD })).status).toBe(200);

      expect((await t.agent().post(`${USERS}/password/generate_code`, { email: 'reset@example.com' })).status).toBe(201);
      await t.settle(); // the mail is prepared after the response; keep the two requests in order
      expect((await t.agent().post(`${USERS}/password/generate_code`, { email: 'reset@example.com' })).status).toBe(201);
      const mails = await t.mailsTo('reset@example.com');
      expect(mails).toHaveLength(2);
      const [old, latest] = mails.map((m) => tokenFromMail(m.body));
      expect(mails[1]!.body).toContain('/accounts/password_reset?reset_token=');

      const NEW = 'An0ther!Secret#Pass';
      const stale = await t.agent().post(`${USERS}/password/confirm_code`, { reset_password_token: old, password: NEW, confirm_password: NEW });
      expect(stale.body).toEqual({ errors: ['identity.user.utilized_token'] });
      const ok = await t.agent().post(`${USERS}/password/confirm_code`, { reset_password_token: latest, password: NEW, confirm_password: NEW });
      expect(ok.status).toBe(201);

      expect((await victim.get('/api/v2/barong/resource/users/me')).status).toBe(401);
      expect(await t.dataSource.getRepository(Session).countBy({ userId: user.id })).toBeGreaterThan(0);
      const live = await t.dataSource.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
      expect(live[0].n).toBe(0);
      expect((await t.agent().post('/api/v2/barong/identity/sessions', { email: 'reset@example.com', password: STRONG_PASSWORD })).status).toBe(401);
      expect((await t.agent().post('/api/v2/barong/identity/sessions', { email: 'reset@example.com', password: NEW })).status).toBe(200);
      const replay = await t.agent().post(`${USERS}/password/confirm_code`, { reset_password_token: latest, password: 'Yet4nother!Pass#Word', confirm_password: 'Yet4nother!Pass#Word' });
      expect(replay.body).toEqual({ errors: ['identity.user.utilized_token'] });
      const acts = await t.dataSource.getRepository(Activity).findBy({ userId: user.id, topic: 'password' });
      expect(acts.map((x) => `${x.action}/${x.result}`).sort()).toEqual(['password reset/succeed', 'request password reset/succeed', 'request password reset/succeed']);
      expect((await t.mailsTo('reset@example.com')).some((m) => m.template === 'password_reset_done')).toBe(true);
    });

    it('answers unknown e-mails exactly like known ones', async () => {
      const res = await t.agent().post(`${USERS}/password/generate_code`, { email: 'ghost@example.com' });
      expect(res.status).toBe(201);
      expect(res.text).toBe('');
      expect(await t.mailsTo('ghost@example.com')).toHaveLength(0);
    });

    it('checks the confirmation first, then the token, then the password rules (recording the failure)', async () => {
      const user = await createUser(t, { email: 'reset2@example.com' });
      await t.agent().post(`${USERS}/password/generate_code`, { email: 'reset2@example.com' });
      const token = tokenFromMail((await t.mailsTo('reset2@example.com'))[0]!.body);
      const r1 = await t.agent().post(`${USERS}/password/confirm_code`, { reset_password_token: token, password: 'An0ther!Secret#Pass', confirm_password: 'different' });
      expect(r1.body).toEqual({ errors: ['identity.user.passwords_doesnt_match'] });
      const r2 = await t.agent().post(`${USERS}/password/confirm_code`, { reset_password_token: token, password: 'weak', confirm_password: 'weak' });
      expect(r2.status).toBe(422);
      expect(r2.body).toEqual({ errors: ['password.requirements'] });
      const failed = await t.dataSource.getRepository(Activity).findOneBy({ userId: user.id, action: 'password reset', result: 'failed' });
      expect(failed).not.toBeNull();
      const r3 = await t.agent().post(`${USERS}/password/confirm_code`, {});
      expect(r3.body.errors).toEqual(expect.arrayContaining(['identity.user.missing_pass_token', 'identity.user.missing_password', 'identity.user.missing_confirm_password']));
      // The token survived the failed attempts.
      const ok = await t.agent().post(`${USERS}/password/confirm_code`, { reset_password_token: token, password: 'An0ther!Secret#Pass', confirm_password: 'An0ther!Secret#Pass' });
      expect(ok.status).toBe(201);
    });
  });
});

describe('reset and confirmation requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('concurrent reset requests leave exactly one live token', async () => {
    const user = await createUser(t, { email: 'race@example.com' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.agent().post(`${USERS}/password/generate_code`, { email: 'race@example.com' })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    await t.settle();
    const live = await t.dataSource.getRepository(UserToken).countBy({ userId: user.id, purpose: 'reset_password', usedAt: IsNull() });
    expect(live).toBe(1);
  });
});
