import { jest } from '@jest/globals';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { SecondFactor, type SecondFactorVerifier } from '../../src/identity/otp/second-factor.js';
import { User } from '../../src/identity/users/user.entity.js';
import { createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const BASE = '/api/v2/barong/resource/users';

describe('resource/users: me, password, activity', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const signedIn = async (spec = {}) => {
    const user = await createUser(t, spec);
    return { user, a: await signIn(t, t.agent(), user) };
  };

  it('GET me answers UserWithFullInfo', async () => {
    const { user, a } = await signedIn();
    const res = await a.get(`${BASE}/me`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uid: user.uid, email: user.email, role: 'member', otp: false, state: 'active' });
    expect(res.body).toHaveProperty('labels');
    expect(res.body).toHaveProperty('created_at');
    expect(res.body).not.toHaveProperty('csrf_token');
    expect(res.body).not.toHaveProperty('password_digest');
  });

  it('PUT me replaces data, validating it', async () => {
    const { user, a } = await signedIn();
    const res = await a.put(`${BASE}/me`, { data: '{"language":"fr"}' });
    expect(res.status).toBe(200);
    expect(res.body.data).toBe('{"language":"fr"}');
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).data).toBe('{"language":"fr"}');
    expect((await a.put(`${BASE}/me`, { data: 'nope' })).body).toEqual({ errors: ['data.invalid_format'] });
    expect((await a.put(`${BASE}/me`, { data: JSON.stringify({ x: 'y'.repeat(1100) }) })).body).toEqual({ errors: ['data.too_long'] });
    expect((await a.put(`${BASE}/me`, {})).body).toEqual({ errors: ['resource.user.missing_data', 'resource.user.empty_data'] });
  });

  describe('PUT password', () => {
    const NEW = 'Brand!New#Passw0rd';

    it('changes the password, ends the other sessions, keeps this one, and mails the user', async () => {
      const { user, a } = await signedIn();
      const other = await signIn(t, t.agent(), user);
      const res = await a.put(`${BASE}/password`, { old_password: STRONG_PASSWORD, new_password: NEW, confirm_password: NEW });
      expect(res.status).toBe(201);
      expect((await a.get(`${BASE}/me`)).status).toBe(200);
      expect((await other.get(`${BASE}/me`)).status).toBe(401);
      expect((await t.agent().post('/api/v2/barong/identity/sessions', { email: user.email, password: NEW })).status).toBe(200);
      const act = await t.dataSource.getRepository(Activity).findOneBy({ userId: user.id, action: 'password change' });
      expect(act).toMatchObject({ result: 'succeed' });
      expect((await t.mailsTo(user.email)).map((m) => m.template)).toContain('password_changed');
    });

    it.each([
      [{ old_password: STRONG_PASSWORD, new_password: NEW, confirm_password: 'x' }, 422, 'resource.password.doesnt_match', "New passwords don't match"],
      [{ old_password: 'Wr0ng!Password#1', new_password: NEW, confirm_password: NEW }, 400, 'resource.password.prev_pass_not_correct', 'Previous password is not correct'],
      [{ old_password: STRONG_PASSWORD, new_password: STRONG_PASSWORD, confirm_password: STRONG_PASSWORD }, 400, 'resource.password.no_change_provided', 'New password cant be the same, as old one'],
      [{ old_password: STRONG_PASSWORD, new_password: 'short', confirm_password: 'short' }, 422, 'password.requirements', 'password.requirements'],
    ])('refuses %j with %s %s and records the failure', async (body, status, code, reason) => {
      const { user, a } = await signedIn();
      const res = await a.put(`${BASE}/password`, body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ errors: [code] });
      const act = await t.dataSource.getRepository(Activity).findOneByOrFail({ userId: user.id, action: 'password change' });
      expect(act.result).toBe('failed');
      expect(JSON.parse(act.data!)).toEqual({ reason });
    });

    it('stops guessing the old password after 5 wrong tries', async () => {
      const { a } = await signedIn();
      for (let i = 0; i < 5; i++) {
        expect((await a.put(`${BASE}/password`, { old_password: `Wr0ng!Pass#${i}`, new_password: NEW, confirm_password: NEW })).status).toBe(400);
      }
      const res = await a.put(`${BASE}/password`, { old_password: STRONG_PASSWORD, new_password: NEW, confirm_password: NEW });
      expect(res.status).toBe(429);
      expect(res.body).toEqual({ errors: ['resource.password.too_many_attempts'] });
    });

    it('validates presence', async () => {
      const { a } = await signedIn();
      const res = await a.put(`${BASE}/password`, {});
      expect(res.body.errors).toEqual([
        'resource.user.missing_old_password',
        'resource.user.empty_old_password',
        'resource.user.missing_new_password',
        'resource.user.empty_new_password',
        'resource.user.missing_confirm_password',
        'resource.user.empty_confirm_password',
      ]);
    });
  });

  describe('DELETE me', () => {
    it('marks the account deleted through the delete:by_user label and ends every session', async () => {
      const { user, a } = await signedIn();
      const wrong = await a.delete(`${BASE}/me`, { password: 'Wr0ng!Password#1' });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ errors: ['resource.user.invalid_password'] });
      const res = await a.delete(`${BASE}/me`, { password: STRONG_PASSWORD });
      expect(res.status).toBe(200);
      const row = await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
      expect(row.state).toBe('deleted');
      const labels = await t.dataSource.query(`SELECT key, value, scope FROM labels WHERE user_id = $1`, [user.id]);
      expect(labels).toEqual([{ key: 'delete', value: 'by_user', scope: 'private' }]);
      expect((await a.get(`${BASE}/me`)).status).toBe(401);
      const login = await t.agent().post('/api/v2/barong/identity/sessions', { email: user.email, password: STRONG_PASSWORD });
      expect(login.body).toEqual({ errors: ['identity.session.deleted'] });
      expect((await t.mailsTo(user.email)).map((m) => m.template)).toContain('account_deleted');
    });

    it('demands the 2FA code when 2FA is on', async () => {
      const verifier = { verify: jest.fn<SecondFactorVerifier['verify']>().mockResolvedValue('invalid') };
      t.get(SecondFactor).register(verifier);
      const { user, a } = await signedIn({ otp: true });
      expect((await a.delete(`${BASE}/me`, { password: STRONG_PASSWORD })).body).toEqual({ errors: ['resource.user.missing_otp_code', 'resource.user.empty_otp_code'] });
      expect((await a.delete(`${BASE}/me`, { password: STRONG_PASSWORD, otp_code: '' })).body).toEqual({ errors: ['resource.user.empty_otp_code'] });
      expect((await a.delete(`${BASE}/me`, { password: STRONG_PASSWORD, otp_code: '111111' })).body).toEqual({ errors: ['resource.user.invalid_otp'] });
      verifier.verify.mockResolvedValue('valid');
      expect((await a.delete(`${BASE}/me`, { password: STRONG_PASSWORD, otp_code: '222222' })).status).toBe(200);
      expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).state).toBe('deleted');
    });
  });

  describe('GET activity/:topic', () => {
    it('lists the caller\'s activity newest first with filters and pagination headers', async () => {
      const user = await createUser(t);
      for (let i = 0; i < 3; i++) await t.agent().post('/api/v2/barong/identity/sessions', { email: user.email, password: STRONG_PASSWORD });
      await t.agent().post('/api/v2/barong/identity/sessions', { email: user.email, password: 'Wr0ng!Password#1' });
      const a = await signIn(t, t.agent(), user);
      const all = await a.get(`${BASE}/activity/all`);
      expect(all.status).toBe(200);
      expect(all.body).toHaveLength(4);
      expect(all.body[0]).toMatchObject({ topic: 'session', action: 'login', result: 'failed' });
      expect(Object.keys(all.body[0]).sort()).toEqual(['action', 'created_at', 'data', 'id', 'result', 'topic', 'user_agent', 'user_ip', 'user_ip_country']);
      expect(all.headers.total).toBe('4');

      const page = await a.get(`${BASE}/activity/session`, { query: { limit: 2, page: 2 } });
      expect(page.body).toHaveLength(2);
      expect(page.headers).toMatchObject({ total: '4', page: '2', 'per-page': '2' });
      expect(page.headers.link).toContain('rel="first"');

      const failed = await a.get(`${BASE}/activity/session`, { query: { result: 'failed' } });
      expect(failed.body).toHaveLength(1);
      const future = await a.get(`${BASE}/activity/all`, { query: { time_from: Math.floor(Date.now() / 1000) + 3600 } });
      expect(future.status).toBe(422);
      expect(future.body).toEqual({ errors: ['resource.user.no_activity'] });
      const past = await a.get(`${BASE}/activity/all`, { query: { time_to: Math.floor(Date.now() / 1000) + 60, time_from: 0 } });
      expect(past.body).toHaveLength(4);
      expect((await a.get(`${BASE}/activity/otp`)).body).toEqual({ errors: ['resource.user.no_activity'] });
    });

    it('validates topic, times and pagination', async () => {
      const { a } = await signedIn();
      expect((await a.get(`${BASE}/activity/nope`)).body).toEqual({ errors: ['resource.user.wrong_topic'] });
      expect((await a.get(`${BASE}/activity/all`, { query: { time_from: 'abc' } })).body).toEqual({ errors: ['resource.user.non_integer_time_from'] });
      expect((await a.get(`${BASE}/activity/all`, { query: { limit: 1000 } })).body).toEqual({ errors: ['invalid_limit'] });
      expect((await a.get(`${BASE}/activity/all`, { query: { page: 0 } })).body).toEqual({ errors: ['non_positive_page'] });
      expect((await a.get(`${BASE}/activity/all`, { query: { page: 'x' } })).body).toEqual({ errors: ['non_integer_page'] });
    });
  });
});

describe('resource/users/me reads the user\'s own writes at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('shows a new label, an admin\'s state change and new data on the very next request', async () => {
    const user = await createUser(t);
    const a = await signIn(t, t.agent(), user);
    expect((await a.get(`${BASE}/me`)).body.labels).toEqual([]);
    expect((await a.post('/api/v2/barong/resource/labels', { key: 'color', value: 'blue' })).status).toBe(201);
    expect((await a.get(`${BASE}/me`)).body.labels).toEqual([expect.objectContaining({ key: 'color', value: 'blue', scope: 'public' })]);

    const admin = await signIn(t, t.agent(), await createUser(t, { role: 'superadmin' }));
    const res = await admin.post('/api/v2/barong/admin/users/labels', { uid: user.uid, key: 'email', value: 'verified', scope: 'private' });
    expect(res.status).toBe(200);
    const me = await a.get(`${BASE}/me`);
    expect(me.body).toMatchObject({ level: 1, state: 'active' });
    expect((await a.put(`${BASE}/me`, { data: '{"a":1}' })).body.data).toBe('{"a":1}');
    expect((await a.get(`${BASE}/me`)).body.data).toBe('{"a":1}');
  });
});
