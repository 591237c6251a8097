import { randomBytes } from 'node:crypto';
import { ADMIN_ABILITIES } from '../../src/core/auth/abilities.js';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { AdminAbilitiesController } from '../../src/access/admin/admin-activities.controller.js';
import { AdminUsersService } from '../../src/access/admin/admin-users.service.js';
import { ApiKey } from '../../src/identity/api-keys/api-key.entity.js';
import { ApiKeysService } from '../../src/identity/api-keys/api-keys.service.js';
import { AccessControl } from '../../src/core/auth/access-control.js';
import type { BarongPrincipal } from '../../src/core/auth/principal.js';
import { AppError } from '../../src/core/http/app-error.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { LabelsService } from '../../src/identity/labels/labels.service.js';
import { ProfilesService } from '../../src/identity/profiles/profiles.service.js';
import { UserChangeHooks } from '../../src/identity/users/user-change-hooks.js';
import { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const BASE = '/api/v2/barong/admin';
const USER_KEYS = ['email', 'uid', 'role', 'level', 'otp', 'state', 'referral_uid', 'data', 'username'].sort();
const tag = (): string => randomBytes(3).toString('hex');

describe('admin API over users', () => {
  let t: TestApp;
  let superadmin: { agent: Agent; user: User };
  let admin: { agent: Agent; user: User };

  const row = (uid: string): Promise<User> => t.dataSource.getRepository(User).findOneByOrFail({ uid });
  const adminActivities = (targetUid: string): Promise<Activity[]> =>
    t.dataSource.getRepository(Activity).find({ where: { category: 'admin', targetUid, topic: 'users', result: 'succeed' }, order: { createdAt: 'ASC' } });

  beforeAll(async () => {
    t = await createTestApp();
    // Roles come from the permissions table; without one loaded, use Barong's seeded roles.
    const access = t.get(AccessControl);
    if (!(await access.roles()).length) {
      access.registerRoleCatalog(async () => ['superadmin', 'admin', 'accountant', 'compliance', 'technical', 'support', 'trader', 'broker', 'member', 'maker', 'sa_maker']);
    }
    superadmin = await agentWithRole(t, 'superadmin');
    admin = await agentWithRole(t, 'admin');
  });
  afterAll(() => t.close());

  describe('GET abilities', () => {
    it("answers the caller role's ability map", async () => {
      const sa = await superadmin.agent.get(`${BASE}/abilities`);
      expect(sa.status).toBe(200);
      expect(sa.body).toEqual(ADMIN_ABILITIES.superadmin);
      const ad = await admin.agent.get(`${BASE}/abilities`);
      expect(ad.body).toEqual({ read: ['Activity', 'Permission'], manage: expect.arrayContaining(['User', 'Label']) });
      const { agent } = await agentWithRole(t, 'accountant');
      expect((await agent.get(`${BASE}/abilities`)).body).toEqual({ read: ['Ability', 'User', 'Level', 'Label', 'Profile', 'Activity'] });
    });

    it('is {} for a role without abilities', () => {
      expect(t.get(AdminAbilitiesController).abilities({ role: 'member' } as BarongPrincipal)).toEqual({});
    });
  });

  describe('GET users', () => {
    const role = `r${tag()}`;
    let members: User[];
    beforeAll(async () => {
      members = [];
      for (const name of ['carol', 'alice', 'bob']) members.push(await createUser(t, { email: `${name}-${role}@example.com`, role, state: 'active' }));
    });

    it('pages with Total, Page, Per-Page and Link headers, ordered by id by default', async () => {
      const res = await superadmin.agent.get(`${BASE}/users`, { query: { role, limit: 2 } });
      expect(res.status).toBe(200);
      expect(res.headers.total).toBe('3');
      expect(res.headers.page).toBe('1');
      expect(res.headers['per-page']).toBe('2');
      expect(res.headers.link).toContain('rel="next"');
      expect(res.headers.link).toContain(`page=2`);
      expect(res.body.map((u: any) => u.email)).toEqual(members.slice(0, 2).map((u) => u.email));
      expect(Object.keys(res.body[0]).sort()).toEqual(USER_KEYS);
      const second = await superadmin.agent.get(`${BASE}/users`, { query: { role, limit: 2, page: 2 } });
      expect(second.body.map((u: any) => u.email)).toEqual([members[2]!.email]);
      expect(second.headers.link).toContain('rel="prev"');
    });

    it('orders by any user column, both ways', async () => {
      const asc = await superadmin.agent.get(`${BASE}/users`, { query: { role, order_by: 'email' } });
      expect(asc.body.map((u: any) => u.email.split('-')[0])).toEqual(['alice', 'bob', 'carol']);
      const desc = await superadmin.agent.get(`${BASE}/users`, { query: { role, order_by: 'email', ordering: 'desc' } });
      expect(desc.body.map((u: any) => u.email.split('-')[0])).toEqual(['carol', 'bob', 'alice']);
      const byCreated = await superadmin.agent.get(`${BASE}/users`, { query: { role, order_by: 'created_at', ordering: 'desc' } });
      expect(byCreated.body.map((u: any) => u.uid)).toEqual([...members].reverse().map((u) => u.uid));
    });

    it('filters by uid, e-mail (any case), role, level and state', async () => {
      const [carol, alice] = members;
      const byUid = await superadmin.agent.get(`${BASE}/users`, { query: { uid: alice!.uid } });
      expect(byUid.body.map((u: any) => u.uid)).toEqual([alice!.uid]);
      expect(byUid.headers.total).toBe('1');
      const byEmail = await superadmin.agent.get(`${BASE}/users`, { query: { email: carol!.email!.toUpperCase() } });
      expect(byEmail.body.map((u: any) => u.uid)).toEqual([carol!.uid]);
      await t.dataSource.getRepository(User).update({ id: alice!.id }, { level: 3, state: `s${role}` });
      const byLevel = await superadmin.agent.get(`${BASE}/users`, { query: { role, level: 3 } });
      expect(byLevel.body.map((u: any) => u.uid)).toEqual([alice!.uid]);
      const byState = await superadmin.agent.get(`${BASE}/users`, { query: { state: `s${role}` } });
      expect(byState.body.map((u: any) => u.uid)).toEqual([alice!.uid]);
      const none = await superadmin.agent.get(`${BASE}/users`, { query: { email: 'nobody-at-all@example.com' } });
      expect(none.body).toEqual([]);
      expect(none.headers.total).toBe('0');
    });

    it('filters by created or updated time range, epoch seconds, inclusive', async () => {
      const [carol, alice, bob] = members;
      const repo = t.dataSource.getRepository(User);
      await t.dataSource.query(`UPDATE users SET created_at = to_timestamp(1000000000.4), updated_at = to_timestamp(1000000100) WHERE id = $1`, [carol!.id]);
      await t.dataSource.query(`UPDATE users SET created_at = to_timestamp(1000000200), updated_at = to_timestamp(1000000300) WHERE id = $1`, [bob!.id]);
      expect((await repo.findOneByOrFail({ id: alice!.id })).createdAt.getTime()).toBeGreaterThan(1_000_000_300_000);
      const created = await superadmin.agent.get(`${BASE}/users`, { query: { role, from: 1000000000, to: 1000000000 } });
      expect(created.body.map((u: any) => u.uid)).toEqual([carol!.uid]);
      const createdWide = await superadmin.agent.get(`${BASE}/users`, { query: { role, from: 1000000000, to: 1000000200 } });
      expect(createdWide.body.map((u: any) => u.uid).sort()).toEqual([carol!.uid, bob!.uid].sort());
      const updated = await superadmin.agent.get(`${BASE}/users`, { query: { role, range: 'updated', from: 1000000100, to: 1000000299 } });
      expect(updated.body.map((u: any) => u.uid)).toEqual([carol!.uid]);
      const after = await superadmin.agent.get(`${BASE}/users`, { query: { role, from: 1000000201 } });
      expect(after.body.map((u: any) => u.uid)).toEqual([alice!.uid]);
    });

    it('extended=true answers UserWithProfile', async () => {
      const res = await superadmin.agent.get(`${BASE}/users`, { query: { role, extended: 'true', limit: 1 } });
      expect(res.status).toBe(200);
      expect(res.body[0]).toEqual(expect.objectContaining({ profiles: expect.any(Array), created_at: expect.any(String), updated_at: expect.any(String) }));
      expect(new Date(res.body[0].created_at).toISOString()).toBe(res.body[0].created_at);
    });

    it('filters by profile first name, last name and country (one profile matching all), case-insensitively', async () => {
      const [carol, alice, bob] = members;
      const profiles = t.get(ProfilesService);
      await profiles.create(carol!.id, { first_name: 'Carol', last_name: 'Smith', country: 'FR' }, true);
      await profiles.create(alice!.id, { first_name: 'Alice', last_name: 'Smith', country: 'DE' }, false);
      await profiles.create(bob!.id, { first_name: 'Bob', last_name: 'Jones', country: 'FR' }, false);
      const get = async (query: Record<string, string>): Promise<[string[], string]> => {
        const res = await superadmin.agent.get(`${BASE}/users`, { query: { role, ...query } });
        expect(res.status).toBe(200);
        return [res.body.map((u: any) => u.uid), res.headers.total!];
      };
      expect(await get({ last_name: 'smith' })).toEqual([[carol!.uid, alice!.uid], '2']);
      expect(await get({ last_name: 'Smith', limit: '1', page: '2' })).toEqual([[alice!.uid], '2']);
      expect(await get({ country: 'FR' })).toEqual([[carol!.uid, bob!.uid], '2']);
      expect(await get({ country: 'fr', last_name: 'Smith' })).toEqual([[carol!.uid], '1']);
      expect(await get({ first_name: 'Alice', country: 'FR' })).toEqual([[], '0']);
      expect(await get({ first_name: 'bob', extended: 'true' })).toEqual([[bob!.uid], '1']);
      const extended = await superadmin.agent.get(`${BASE}/users`, { query: { role, first_name: 'Bob', extended: 'true' } });
      expect(extended.body[0].profiles).toEqual([expect.objectContaining({ first_name: 'Bob', last_name: 'Jones', country: 'FR' })]);
    });

    it.each([
      [{ ordering: 'sideways' }, ['user.ordering.invalid_ordering']],
      [{ order_by: 'password_digest' }, ['user.ordering.invalid_attribute']],
      [{ extended: 'maybe' }, ['admin.user.non_boolean_extended']],
      [{ range: 'deleted' }, ['admin.user.invalid_range']],
      [{ from: 'yesterday' }, ['admin.user.non_integer_from']],
      [{ level: 'high' }, ['admin.user.non_integer_level']],
      [{ page: 0 }, ['non_positive_page']],
      [{ page: 'x' }, ['non_integer_page']],
      [{ limit: 101 }, ['invalid_limit']],
      [{ limit: 'x' }, ['non_integer_limit']],
    ])('rejects %j with %j', async (query, errors) => {
      const res = await superadmin.agent.get(`${BASE}/users`, { query: query as Record<string, string> });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors });
    });

    it('rejects a repeated string filter', async () => {
      const res = await superadmin.agent.get(`${BASE}/users?uid=a&uid=b`);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['admin.user.non_string_uid'] });
    });

    it('accountant may read users; a role without the ability may not', async () => {
      const { agent } = await agentWithRole(t, 'accountant');
      const res = await agent.get(`${BASE}/users`, { query: { role } });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(3);
      const auditor: BarongPrincipal = { kind: 'user', via: 'session', sessionId: 'none', id: admin.user.id, uid: 'IDAUDITOR000', appId: admin.user.appId, role: 'auditor', state: 'active', email: 'a@example.com' };
      await expect(t.get(AdminUsersService).list(auditor, { page: 1, limit: 100 })).rejects.toMatchObject({ status: 401, codes: ['admin.ability.not_permitted'] });
    });
  });

  describe('GET users/:uid', () => {
    it('answers UserWithKYC with admin label views', async () => {
      const user = await createUser(t);
      await t.dataSource.transaction((m) => t.get(LabelsService).set(m, user.id, { key: 'email', value: 'verified', scope: 'private', description: 'by test' }));
      const res = await superadmin.agent.get(`${BASE}/users/${user.uid}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({
          uid: user.uid,
          email: user.email,
          profiles: expect.any(Array),
          phones: expect.any(Array),
          documents: expect.any(Array),
          data_storages: expect.any(Array),
          created_at: expect.any(String),
          updated_at: expect.any(String),
        }),
      );
      expect(res.body.labels).toEqual([expect.objectContaining({ key: 'email', value: 'verified', scope: 'private' })]);
    });

    it('404 admin.user.doesnt_exist', async () => {
      const res = await superadmin.agent.get(`${BASE}/users/IDFFFFFFFFFF`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: ['admin.user.doesnt_exist'] });
    });
  });

  describe('POST users/update', () => {
    it('changes the state, answers the User, and records an admin activity about the target', async () => {
      const target = await createUser(t, { state: 'active' });
      const res = await superadmin.agent.post(`${BASE}/users/update`, { uid: target.uid, state: 'banned' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ uid: target.uid, state: 'banned', otp: false }));
      expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);
      expect((await row(target.uid)).state).toBe('banned');
      const [activity, ...more] = await adminActivities(target.uid);
      expect(more).toEqual([]);
      expect(activity).toMatchObject({ userId: superadmin.user.id, category: 'admin', topic: 'users', action: 'update', result: 'succeed', targetUid: target.uid });
      expect(JSON.parse(activity!.data!)).toEqual({ uid: target.uid, attribute: 'state', from: 'active', to: 'banned', admin_uid: superadmin.user.uid });
    });

    it("banning runs the change hooks in the same transaction: the user's API keys go inactive", async () => {
      const target = await createUser(t, { state: 'active' });
      const { key } = await t.get(ApiKeysService).create({ kind: 'user', user: target }, { algorithm: 'HS256' });
      const res = await superadmin.agent.post(`${BASE}/users/update`, { uid: target.uid, state: 'banned' });
      expect(res.status).toBe(200);
      expect((await t.dataSource.getRepository(ApiKey).findOneByOrFail({ kid: key.kid })).state).toBe('inactive');
    });

    it('disables 2FA (form-encoded), removes the private otp label and leaves the state alone', async () => {
      const target = await createUser(t, { state: 'active', otp: true });
      await t.dataSource.getRepository(Label).insert({ userId: target.id, key: 'otp', value: 'enabled', scope: 'private' });
      const res = await admin.agent.send('POST', `${BASE}/users/update`, { form: { uid: target.uid, otp: 'false' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ uid: target.uid, otp: false, state: 'active' }));
      const stored = await row(target.uid);
      expect(stored.otp).toBe(false);
      expect(stored.state).toBe('active');
      expect(await t.dataSource.getRepository(Label).countBy({ userId: target.id, key: 'otp' })).toBe(0);
      const [activity] = await adminActivities(target.uid);
      expect(activity).toMatchObject({ userId: admin.user.id, targetUid: target.uid });
      expect(JSON.parse(activity!.data!)).toMatchObject({ attribute: 'otp', from: true, to: false });
    });

    it('support may change users', async () => {
      const { agent, user } = await agentWithRole(t, 'support');
      const target = await createUser(t, { state: 'active', otp: true });
      const res = await agent.post(`${BASE}/users/update`, { uid: target.uid, otp: false });
      expect(res.status).toBe(200);
      expect((await row(target.uid)).otp).toBe(false);
      expect((await adminActivities(target.uid))[0]).toMatchObject({ userId: user.id });
    });

    it('accountant may not change users: 401, nothing changed, nothing recorded', async () => {
      const { agent, user } = await agentWithRole(t, 'accountant');
      const target = await createUser(t, { state: 'active' });
      const res = await agent.post(`${BASE}/users/update`, { uid: target.uid, state: 'banned' });
      expect(res.status).toBe(401);
      expect((await row(target.uid)).state).toBe('active');
      expect(await adminActivities(target.uid)).toEqual([]);
      const principal: BarongPrincipal = { kind: 'user', via: 'session', sessionId: 'none', id: user.id, uid: user.uid, appId: user.appId, role: 'accountant', state: 'active', email: user.email };
      const err = await t
        .get(AdminUsersService)
        .change(principal, { uid: target.uid, field: 'state', value: 'banned' }, { ip: '127.0.0.1', userAgent: 'jest' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 401, codes: ['admin.ability.not_permitted'] });
    });

    it.each([
      [{}, ['admin.user.missing_uid', 'admin.user.empty_uid', 'admin.user.one_of_state_otp']],
      [{ uid: 'IDX' }, ['admin.user.one_of_state_otp']],
      [{ uid: 'IDX', state: 'active', otp: false }, ['admin.user.one_of_state_otp']],
      [{ uid: 'IDX', state: '' }, ['admin.user.empty_state']],
      [{ uid: 'IDX', otp: 'perhaps' }, ['admin.user.non_boolean_otp']],
    ])('validates %j: %j', async (body, errors) => {
      const res = await superadmin.agent.post(`${BASE}/users/update`, body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors });
    });

    it('404 admin.user.doesnt_exist', async () => {
      const res = await superadmin.agent.post(`${BASE}/users/update`, { uid: 'IDFFFFFFFFFF', state: 'banned' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: ['admin.user.doesnt_exist'] });
    });

    it('422 admin.user.superadmin_change: only a superadmin changes a superadmin', async () => {
      const other = await createUser(t, { role: 'superadmin', state: 'active' });
      const res = await admin.agent.post(`${BASE}/users/update`, { uid: other.uid, state: 'banned' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['admin.user.superadmin_change'] });
      expect((await row(other.uid)).state).toBe('active');
      const ok = await superadmin.agent.post(`${BASE}/users/update`, { uid: other.uid, state: 'locked' });
      expect(ok.status).toBe(200);
    });

    it('422 admin.user.update_himself', async () => {
      const res = await superadmin.agent.post(`${BASE}/users/update`, { uid: superadmin.user.uid, state: 'banned' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['admin.user.update_himself'] });
    });

    it('422 admin.user.enable_2fa, otp_no_change, state_no_change, and no activity for any of them', async () => {
      const target = await createUser(t, { state: 'active', otp: false });
      const enable = await superadmin.agent.post(`${BASE}/users/update`, { uid: target.uid, otp: true });
      expect(enable.status).toBe(422);
      expect(enable.body).toEqual({ errors: ['admin.user.enable_2fa'] });
      const otp = await superadmin.agent.post(`${BASE}/users/update`, { uid: target.uid, otp: false });
      expect(otp.body).toEqual({ errors: ['admin.user.otp_no_change'] });
      const state = await superadmin.agent.post(`${BASE}/users/update`, { uid: target.uid, state: 'active' });
      expect(state.status).toBe(422);
      expect(state.body).toEqual({ errors: ['admin.user.state_no_change'] });
      expect(await adminActivities(target.uid)).toEqual([]);
    });

    it('the change and its activity commit together: a failure after the change leaves neither', async () => {
      const target = await createUser(t, { state: 'active' });
      t.get(UserChangeHooks).register(async (_m, change) => {
        if (change.after.id === target.id) throw new Error('hook failure');
      });
      const res = await superadmin.agent.post(`${BASE}/users/update`, { uid: target.uid, state: 'banned' });
      expect(res.status).toBe(500);
      expect((await row(target.uid)).state).toBe('active');
      expect(await adminActivities(target.uid)).toEqual([]);
    });
  });

  describe('PUT users', () => {
    it('a superadmin changes the e-mail (stored lower-cased)', async () => {
      const target = await createUser(t);
      const email = `New-${tag()}@Example.com`;
      const res = await superadmin.agent.put(`${BASE}/users`, { uid: target.uid, email });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ uid: target.uid, email: email.toLowerCase() }));
      expect((await row(target.uid)).email).toBe(email.toLowerCase());
      expect(JSON.parse((await adminActivities(target.uid))[0]!.data!)).toMatchObject({ attribute: 'email', from: target.email, to: email.toLowerCase() });
    });

    it('changes the state and disables 2FA like POST users/update', async () => {
      const target = await createUser(t, { state: 'active', otp: true });
      expect((await admin.agent.put(`${BASE}/users`, { uid: target.uid, state: 'locked' })).status).toBe(200);
      expect((await admin.agent.put(`${BASE}/users`, { uid: target.uid, otp: false })).status).toBe(200);
      const stored = await row(target.uid);
      expect([stored.state, stored.otp]).toEqual(['locked', false]);
      expect((await adminActivities(target.uid)).map((a) => JSON.parse(a.data!).attribute)).toEqual(['state', 'otp']);
    });

    it('422 superadmin.user.update_email for anyone else', async () => {
      const target = await createUser(t);
      const res = await admin.agent.put(`${BASE}/users`, { uid: target.uid, email: `x-${tag()}@example.com` });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['superadmin.user.update_email'] });
      expect((await row(target.uid)).email).toBe(target.email);
    });

    it('422 admin.user.email_no_change, email.taken, email.invalid; nothing recorded', async () => {
      const target = await createUser(t);
      const other = await createUser(t);
      const same = await superadmin.agent.put(`${BASE}/users`, { uid: target.uid, email: target.email.toUpperCase() });
      expect(same.status).toBe(422);
      expect(same.body).toEqual({ errors: ['admin.user.email_no_change'] });
      const taken = await superadmin.agent.put(`${BASE}/users`, { uid: target.uid, email: other.email });
      expect(taken.body).toEqual({ errors: ['email.taken'] });
      const invalid = await superadmin.agent.put(`${BASE}/users`, { uid: target.uid, email: 'not-an-email' });
      expect(invalid.body).toEqual({ errors: ['email.invalid'] });
      expect(await adminActivities(target.uid)).toEqual([]);
    });

    it.each([
      [{ uid: 'IDX' }, ['admin.user.one_of_state_otp_email']],
      [{ uid: 'IDX', state: 'banned', email: 'a@b.co' }, ['admin.user.one_of_state_otp_email']],
      [{ uid: 'IDX', email: '' }, ['admin.user.empty_email']],
      [{ state: 'banned' }, ['admin.user.missing_uid', 'admin.user.empty_uid']],
    ])('validates %j: %j', async (body, errors) => {
      const res = await superadmin.agent.put(`${BASE}/users`, body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors });
    });

    it('shares the protections: 404, superadmin_change, update_himself, enable_2fa, no_change', async () => {
      const sa = await createUser(t, { role: 'superadmin' });
      const target = await createUser(t, { state: 'active' });
      const cases: [Agent, Record<string, unknown>, number, string][] = [
        [superadmin.agent, { uid: 'IDFFFFFFFFFF', state: 'banned' }, 404, 'admin.user.doesnt_exist'],
        [admin.agent, { uid: sa.uid, state: 'banned' }, 422, 'admin.user.superadmin_change'],
        [admin.agent, { uid: admin.user.uid, state: 'banned' }, 422, 'admin.user.update_himself'],
        [admin.agent, { uid: target.uid, otp: true }, 422, 'admin.user.enable_2fa'],
        [admin.agent, { uid: target.uid, otp: false }, 422, 'admin.user.otp_no_change'],
        [admin.agent, { uid: target.uid, state: 'active' }, 422, 'admin.user.state_no_change'],
      ];
      for (const [agent, body, status, code] of cases) {
        const res = await agent.put(`${BASE}/users`, body);
        expect([res.status, res.body]).toEqual([status, { errors: [code] }]);
      }
    });
  });

  describe('POST users/role', () => {
    it('changes the role to one of the permissions table, with an admin activity', async () => {
      const target = await createUser(t, { role: 'member' });
      const res = await superadmin.agent.post(`${BASE}/users/role`, { uid: target.uid, role: 'accountant' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ uid: target.uid, role: 'accountant' }));
      expect((await row(target.uid)).role).toBe('accountant');
      expect(JSON.parse((await adminActivities(target.uid))[0]!.data!)).toMatchObject({ attribute: 'role', from: 'member', to: 'accountant' });
    });

    it('422 role.doesnt_exist, admin.user.role_no_change, and validation', async () => {
      const target = await createUser(t, { role: 'member' });
      const unknown = await superadmin.agent.post(`${BASE}/users/role`, { uid: target.uid, role: 'emperor' });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toEqual({ errors: ['role.doesnt_exist'] });
      const same = await superadmin.agent.post(`${BASE}/users/role`, { uid: target.uid, role: 'member' });
      expect(same.body).toEqual({ errors: ['admin.user.role_no_change'] });
      const missing = await superadmin.agent.post(`${BASE}/users/role`, {});
      expect(missing.body).toEqual({ errors: ['admin.user.missing_uid', 'admin.user.empty_uid', 'admin.user.missing_role', 'admin.user.empty_role'] });
      expect((await row(target.uid)).role).toBe('member');
      expect(await adminActivities(target.uid)).toEqual([]);
    });

    it('404 and update_himself over HTTP (only superadmins reach this route under the seeded permissions)', async () => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ uid: 'IDFFFFFFFFFF', role: 'admin' }, 404, 'admin.user.doesnt_exist'],
        [{ uid: superadmin.user.uid, role: 'admin' }, 422, 'admin.user.update_himself'],
      ];
      for (const [body, status, code] of cases) {
        const res = await superadmin.agent.post(`${BASE}/users/role`, body);
        expect([res.status, res.body]).toEqual([status, { errors: [code] }]);
      }
    });

    it('a non-superadmin with the ability changes no superadmin and grants no superadmin role', async () => {
      const sa = await createUser(t, { role: 'superadmin' });
      const target = await createUser(t, { role: 'member' });
      const officer = await createUser(t, { role: 'compliance' });
      const principal: BarongPrincipal = { kind: 'user', via: 'session', sessionId: 'none', id: officer.id, uid: officer.uid, appId: officer.appId, role: 'compliance', state: 'active', email: officer.email };
      const meta = { ip: '127.0.0.1', userAgent: 'jest' };
      const service = t.get(AdminUsersService);
      await expect(service.change(principal, { uid: sa.uid, field: 'role', value: 'member' }, meta)).rejects.toMatchObject({ status: 422, codes: ['admin.user.superadmin_change'] });
      await expect(service.change(principal, { uid: target.uid, field: 'role', value: 'superadmin' }, meta)).rejects.toMatchObject({ status: 422, codes: ['admin.user.superadmin_change'] });
      expect((await row(target.uid)).role).toBe('member');
      await expect(service.change(principal, { uid: target.uid, field: 'role', value: 'support' }, meta)).resolves.toMatchObject({ role: 'support' });
      const granted = await superadmin.agent.post(`${BASE}/users/role`, { uid: target.uid, role: 'superadmin' });
      expect(granted.status).toBe(200);
      expect((await row(target.uid)).role).toBe('superadmin');
    });
  });
});
