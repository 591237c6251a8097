import { Activity } from '../../src/core/audit/activity.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const RES = '/api/v2/barong/resource/labels';
const ADM = '/api/v2/barong/admin/users/labels';

describe('labels', () => {
  let t: TestApp;
  let superadmin: { agent: Agent; user: User };
  let admin: { agent: Agent; user: User };

  beforeAll(async () => {
    t = await createTestApp();
    superadmin = await agentWithRole(t, 'superadmin');
    admin = await agentWithRole(t, 'admin');
  });
  afterAll(() => t.close());

  const labelsOf = (userId: string): Promise<Label[]> => t.dataSource.getRepository(Label).find({ where: { userId }, order: { createdAt: 'ASC' } });
  const reload = (id: string): Promise<User> => t.dataSource.getRepository(User).findOneByOrFail({ id });
  const adminRows = (targetUid: string): Promise<Activity[]> =>
    t.dataSource.getRepository(Activity).find({ where: { targetUid, category: 'admin' }, order: { createdAt: 'ASC' } });

  describe('user API', () => {
    it('creates a public label, normalised, 201; lists, gets, orders', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const created = await agent.post(RES, { key: '  Favourite   ', value: 'BLUE' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ key: 'favourite', value: 'blue', scope: 'public', created_at: expect.any(String), updated_at: expect.any(String) });
      const second = await agent.send('POST', RES, { form: { key: 'hobby', value: 'chess' } });
      expect(second.status).toBe(201);

      const rows = await labelsOf(user.id);
      expect(rows.map((l) => [l.key, l.value, l.scope])).toEqual([
        ['favourite', 'blue', 'public'],
        ['hobby', 'chess', 'public'],
      ]);

      const asc = await agent.get(RES);
      expect(asc.status).toBe(200);
      expect(asc.body.map((l: { key: string }) => l.key)).toEqual(['favourite', 'hobby']);
      const desc = await agent.get(RES, { query: { ordering: 'desc' } });
      expect(desc.body.map((l: { key: string }) => l.key)).toEqual(['hobby', 'favourite']);
      const bad = await agent.get(RES, { query: { ordering: 'sideways' } });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: ['resource.label.invalid_ordering'] });

      const one = await agent.get(`${RES}/hobby`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ key: 'hobby', value: 'chess', scope: 'public' });
      const missing = await agent.get(`${RES}/nothing`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ errors: ['record.not_found'] });
    });

    it('refuses missing, empty, malformed and taken keys and values', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const missing = await agent.post(RES, {});
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([
        'resource.label.missing_key',
        'resource.label.empty_key',
        'resource.label.missing_value',
        'resource.label.empty_value',
      ]);
      const empty = await agent.post(RES, { key: '', value: ' ' });
      expect(empty.body.errors).toEqual(['resource.label.empty_key', 'resource.label.empty_value']);
      const short = await agent.post(RES, { key: 'ab', value: 'x!' });
      expect(short.status).toBe(422);
      expect(short.body.errors).toEqual(['key.too_short', 'value.too_short', 'value.invalid']);
      const invalid = await agent.post(RES, { key: 'two words', value: 'a'.repeat(256) });
      expect(invalid.body.errors).toEqual(['key.invalid', 'value.too_long']);

      expect((await agent.post(RES, { key: 'color', value: 'red' })).status).toBe(201);
      const taken = await agent.post(RES, { key: 'COLOR', value: 'green' });
      expect(taken.status).toBe(422);
      expect(taken.body).toEqual({ errors: ['key.taken'] });
      expect((await labelsOf(user.id)).map((l) => l.value)).toEqual(['red']);
    });

    it('updates and deletes public labels but not private ones', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      await agent.post(RES, { key: 'color', value: 'red' });
      const patched = await agent.patch(`${RES}/color`, { value: 'Green' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ key: 'color', value: 'green', scope: 'public' });
      expect((await labelsOf(user.id))[0]!.value).toBe('green');

      const noValue = await agent.patch(`${RES}/color`, {});
      expect(noValue.status).toBe(422);
      expect(noValue.body.errors).toEqual(['resource.label.missing_value', 'resource.label.empty_value']);
      const badValue = await agent.patch(`${RES}/color`, { value: 'no way' });
      expect(badValue.body).toEqual({ errors: ['value.invalid'] });
      expect((await agent.patch(`${RES}/nothing`, { value: 'abc' })).status).toBe(404);

      await superadmin.agent.post(ADM, { uid: user.uid, key: 'email', value: 'verified', scope: 'private' });
      const privPatch = await agent.patch(`${RES}/email`, { value: 'unverified' });
      expect(privPatch.status).toBe(400);
      expect(privPatch.body).toEqual({ errors: ['resource.labels.private'] });
      const privDelete = await agent.delete(`${RES}/email`);
      expect(privDelete.status).toBe(400);
      expect(privDelete.body).toEqual({ errors: ['resource.labels.private'] });

      const deleted = await agent.delete(`${RES}/color`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await labelsOf(user.id)).map((l) => l.key)).toEqual(['email']);
      expect((await agent.delete(`${RES}/color`)).status).toBe(404);

      // Both scopes are listed to the user.
      const list = await agent.get(RES);
      expect(list.body).toEqual([expect.objectContaining({ key: 'email', value: 'verified', scope: 'private' })]);
      expect(list.body[0].description).toBeUndefined();
    });

    it('a public label named like a state trigger changes nothing', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      await agent.post(RES, { key: 'ban', value: 'please' });
      await superadmin.agent.post(ADM, { uid: user.uid, key: 'email', value: 'verified', scope: 'private' });
      expect((await reload(user.id)).state).toBe('active');
    });

    it('needs a session', async () => {
      const res = await t.agent().get(RES);
      expect(res.status).toBe(401);
    });
  });

  describe('admin API', () => {
    it('adds labels (public by default) with a description, 200, and audits the write', async () => {
      const target = await createUser(t, { state: 'pending' });
      const res = await superadmin.agent.post(ADM, { uid: target.uid, key: 'vip', value: 'gold', description: 'manual upgrade' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ key: 'vip', value: 'gold', scope: 'public', description: 'manual upgrade' });
      const rows = await labelsOf(target.id);
      expect(rows).toEqual([expect.objectContaining({ key: 'vip', value: 'gold', scope: 'public', description: 'manual upgrade' })]);

      const acts = await adminRows(target.uid);
      expect(acts).toHaveLength(1);
      expect(acts[0]).toMatchObject({ userId: superadmin.user.id, category: 'admin', topic: 'users', action: 'create', result: 'succeed' });
      expect(JSON.parse(acts[0]!.data!)).toMatchObject({ uid: target.uid, key: 'vip', value: 'gold' });

      const again = await superadmin.agent.post(ADM, { uid: target.uid, key: 'vip', value: 'silver' });
      expect(again.status).toBe(422);
      expect(again.body).toEqual({ errors: ['key.taken'] });
      // The same key may exist once per scope.
      expect((await superadmin.agent.post(ADM, { uid: target.uid, key: 'vip', value: 'silver', scope: 'private' })).status).toBe(200);
      expect(await adminRows(target.uid)).toHaveLength(2);
    });

    it('validates parameters and finds the user', async () => {
      const target = await createUser(t);
      const missing = await superadmin.agent.post(ADM, {});
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([
        'admin.user.missing_uid',
        'admin.user.empty_uid',
        'admin.user.missing_key',
        'admin.user.empty_key',
        'admin.user.missing_value',
        'admin.user.empty_value',
      ]);
      const blanks = await superadmin.agent.post(ADM, { uid: target.uid, key: 'abc', value: 'abc', scope: '', description: '' });
      expect(blanks.body.errors).toEqual(['admin.user.empty_description', 'admin.user.empty_scope']);
      const scope = await superadmin.agent.post(ADM, { uid: target.uid, key: 'k!', value: 'abc', scope: 'secret' });
      expect(scope.status).toBe(422);
      expect(scope.body.errors).toEqual(['scope.inclusion', 'key.too_short', 'key.invalid']);
      const unknown = await superadmin.agent.post(ADM, { uid: 'ID0000000000', key: 'abc', value: 'abc' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ errors: ['admin.user.doesnt_exist'] });
      expect(await labelsOf(target.id)).toEqual([]);
      expect(await adminRows(target.uid)).toEqual([]);
    });

    it('private labels drive state and level in the same write', async () => {
      const target = await createUser(t, { state: 'pending' });
      const a = superadmin.agent;
      await a.post(ADM, { uid: target.uid, key: 'email', value: 'verified', scope: 'private' });
      expect(await reload(target.id)).toMatchObject({ state: 'active', level: 1 });
      await a.post(ADM, { uid: target.uid, key: 'phone', value: 'verified', scope: 'private' });
      expect(await reload(target.id)).toMatchObject({ state: 'active', level: 2 });
      await a.post(ADM, { uid: target.uid, key: 'document', value: 'verified', scope: 'private' });
      expect(await reload(target.id)).toMatchObject({ level: 3 });

      await a.post(ADM, { uid: target.uid, key: 'ban', value: 'fraud', scope: 'private' });
      expect(await reload(target.id)).toMatchObject({ state: 'banned', level: 3 });
      const del = await a.delete(ADM, { uid: target.uid, key: 'ban', scope: 'private' });
      expect(del.status).toBe(200);
      expect(await reload(target.id)).toMatchObject({ state: 'active' });

      const unphone = await a.send('DELETE', ADM, { query: { uid: target.uid, key: 'phone', scope: 'private' } });
      expect(unphone.status).toBe(200);
      expect(await reload(target.id)).toMatchObject({ state: 'active', level: 1 });

      // document:verified without phone:verified is still level 1.
      const other = await createUser(t, { state: 'pending' });
      await a.post(ADM, { uid: other.uid, key: 'email', value: 'verified', scope: 'private' });
      await a.post(ADM, { uid: other.uid, key: 'document', value: 'verified', scope: 'private' });
      expect(await reload(other.id)).toMatchObject({ state: 'active', level: 1 });

      // A public label with the same key has no effect on level.
      const third = await createUser(t, { state: 'pending' });
      await a.post(ADM, { uid: third.uid, key: 'email', value: 'verified' });
      expect(await reload(third.id)).toMatchObject({ state: 'pending', level: 0 });
    });

    it('PUT updates an existing label only', async () => {
      const target = await createUser(t, { state: 'pending' });
      await superadmin.agent.post(ADM, { uid: target.uid, key: 'email', value: 'pending', scope: 'private' });
      const res = await admin.agent.put(ADM, { uid: target.uid, key: 'email', scope: 'private', value: 'verified', description: 'checked by hand' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ key: 'email', value: 'verified', scope: 'private', description: 'checked by hand' });
      expect(await reload(target.id)).toMatchObject({ state: 'active', level: 1 });
      expect((await adminRows(target.uid)).map((r) => [r.userId, r.action])).toEqual([
        [superadmin.user.id, 'create'],
        [admin.user.id, 'update'],
      ]);

      const wrongScope = await admin.agent.put(ADM, { uid: target.uid, key: 'email', scope: 'public', value: 'verified' });
      expect(wrongScope.status).toBe(404);
      expect(wrongScope.body).toEqual({ errors: ['admin.label.doesnt_exist'] });
      const missing = await admin.agent.put(ADM, { uid: target.uid });
      expect(missing.body.errors).toEqual([
        'admin.user.missing_key',
        'admin.user.empty_key',
        'admin.user.missing_scope',
        'admin.user.empty_scope',
        'admin.user.missing_value',
        'admin.user.empty_value',
      ]);
      const badValue = await admin.agent.put(ADM, { uid: target.uid, key: 'email', scope: 'private', value: 'x' });
      expect(badValue.body).toEqual({ errors: ['value.too_short'] });
      const unknown = await admin.agent.put(ADM, { uid: 'ID0000000000', key: 'email', scope: 'private', value: 'verified' });
      expect(unknown.body).toEqual({ errors: ['admin.user.doesnt_exist'] });
    });

    it('POST update upserts unless replace is false', async () => {
      const target = await createUser(t, { state: 'pending' });
      const url = `${ADM}/update`;
      const created = await superadmin.agent.post(url, { uid: target.uid, key: 'email', scope: 'private', value: 'verified' });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ key: 'email', value: 'verified', scope: 'private' });
      expect(await reload(target.id)).toMatchObject({ state: 'active', level: 1 });

      const updated = await superadmin.agent.send('POST', url, { form: { uid: target.uid, key: 'email', scope: 'private', value: 'rejected', replace: 'false' } });
      expect(updated.status).toBe(200);
      expect(updated.body.value).toBe('rejected');
      expect(await reload(target.id)).toMatchObject({ state: 'pending', level: 0 });

      const noReplace = await superadmin.agent.post(url, { uid: target.uid, key: 'phone', scope: 'private', value: 'verified', replace: false });
      expect(noReplace.status).toBe(404);
      expect(noReplace.body).toEqual({ errors: ['admin.label.doesnt_exist'] });
      const badBool = await superadmin.agent.post(url, { uid: target.uid, key: 'phone', scope: 'private', value: 'verified', replace: 'maybe' });
      expect(badBool.status).toBe(422);
      expect(badBool.body).toEqual({ errors: ['admin.user.non_boolean_replace'] });
      expect((await labelsOf(target.id)).map((l) => `${l.key}:${l.value}`)).toEqual(['email:rejected']);
    });

    it('DELETE needs uid, key and scope, and an existing label', async () => {
      const target = await createUser(t);
      await superadmin.agent.post(ADM, { uid: target.uid, key: 'vip', value: 'gold' });
      const missing = await superadmin.agent.delete(ADM, {});
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([
        'admin.user.missing_uid',
        'admin.user.empty_uid',
        'admin.user.missing_key',
        'admin.user.empty_key',
        'admin.user.missing_scope',
        'admin.user.empty_scope',
      ]);
      const wrong = await superadmin.agent.delete(ADM, { uid: target.uid, key: 'vip', scope: 'private' });
      expect(wrong.status).toBe(404);
      expect(wrong.body).toEqual({ errors: ['admin.label.doesnt_exist'] });
      const ok = await superadmin.agent.delete(ADM, { uid: target.uid, key: 'vip', scope: 'public' });
      expect(ok.status).toBe(200);
      expect(await labelsOf(target.id)).toEqual([]);
      expect((await adminRows(target.uid)).map((r) => r.action)).toEqual(['create', 'delete']);
    });

    it("a non-superadmin cannot change a superadmin's labels", async () => {
      const boss = await createUser(t, { role: 'superadmin' });
      await superadmin.agent.post(ADM, { uid: boss.uid, key: 'vip', value: 'gold' });
      const tries = [
        await admin.agent.post(ADM, { uid: boss.uid, key: 'email', value: 'verified', scope: 'private' }),
        await admin.agent.put(ADM, { uid: boss.uid, key: 'vip', scope: 'public', value: 'silver' }),
        await admin.agent.post(`${ADM}/update`, { uid: boss.uid, key: 'vip', scope: 'public', value: 'silver' }),
        await admin.agent.delete(ADM, { uid: boss.uid, key: 'vip', scope: 'public' }),
      ];
      for (const r of tries) {
        expect(r.status).toBe(422);
        expect(r.body).toEqual({ errors: ['admin.user.superadmin_change'] });
      }
      expect((await labelsOf(boss.id)).map((l) => `${l.key}:${l.value}`)).toEqual(['vip:gold']);
      expect(await adminRows(boss.uid)).toHaveLength(1);
    });

    it('lists users having a label, paginated, as User entities', async () => {
      const a = await createUser(t);
      const b = await createUser(t);
      await superadmin.agent.post(ADM, { uid: a.uid, key: 'tier', value: 'platinum' });
      await superadmin.agent.post(ADM, { uid: b.uid, key: 'tier', value: 'platinum', scope: 'private' });
      await superadmin.agent.post(ADM, { uid: a.uid, key: 'tier', value: 'platinum', scope: 'private' });
      const res = await admin.agent.get(ADM, { query: { key: 'tier', value: 'platinum' } });
      expect(res.status).toBe(200);
      expect(res.headers.total).toBe('2');
      expect(res.body.map((u: { uid: string }) => u.uid)).toEqual([a.uid, b.uid]);
      expect(Object.keys(res.body[0]).sort()).toEqual(['data', 'email', 'level', 'otp', 'referral_uid', 'role', 'state', 'uid', 'username']);
      const page2 = await admin.agent.get(ADM, { query: { key: 'tier', value: 'platinum', limit: 1, page: 2 } });
      expect(page2.body.map((u: { uid: string }) => u.uid)).toEqual([b.uid]);
      expect(page2.headers['per-page']).toBe('1');
      const missing = await admin.agent.get(ADM);
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual(['admin.user.missing_key', 'admin.user.missing_value']);
      const badPage = await admin.agent.get(ADM, { query: { key: 'tier', value: 'platinum', page: 0 } });
      expect(badPage.body.errors).toEqual(['non_positive_page']);
    });

    it('counts private labels by key and value', async () => {
      const fresh = await createTestApp();
      try {
        const sa = await agentWithRole(fresh, 'superadmin');
        const empty = await sa.agent.get(`${ADM}/list`);
        expect(empty.status).toBe(200);
        expect(empty.body).toEqual({});
        const u1 = await createUser(fresh);
        const u2 = await createUser(fresh);
        for (const u of [u1, u2]) await sa.agent.post(ADM, { uid: u.uid, key: 'email', value: 'verified', scope: 'private' });
        await sa.agent.post(ADM, { uid: u1.uid, key: 'phone', value: 'verified', scope: 'private' });
        await sa.agent.post(ADM, { uid: u2.uid, key: 'hobby', value: 'chess' });
        const res = await sa.agent.get(`${ADM}/list`);
        expect(res.body).toEqual({ '["email", "verified"]': 2, '["phone", "verified"]': 1 });
      } finally {
        await fresh.close();
      }
    });

    it('levels are listed', async () => {
      const res = await admin.agent.get('/api/v2/barong/admin/levels');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { id: 1, key: 'email', value: 'verified' },
        { id: 2, key: 'phone', value: 'verified' },
        { id: 3, key: 'document', value: 'verified' },
      ]);
    });

    it('roles without the ability are refused; members cannot reach admin routes', async () => {
      const member = await agentWithRole(t, 'member');
      const denied = await member.agent.get('/api/v2/barong/admin/levels');
      expect(denied.status).toBe(401);
      expect(denied.body).toEqual({ errors: ['authz.invalid_permission'] });

      // Give auditors (abilities: read Activity only) RBAC access to the admin API.
      const grant = await superadmin.agent.post('/api/v2/barong/admin/permissions', { role: 'auditor', verb: 'ALL', path: 'api/v2/barong/admin', action: 'ACCEPT' });
      expect(grant.status).toBeLessThan(300);
      const auditor = await agentWithRole(t, 'auditor');
      const target = await createUser(t);
      let res = await auditor.agent.get('/api/v2/barong/admin/levels');
      for (let i = 0; i < 50 && res.body?.errors?.[0] === 'authz.invalid_permission'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        res = await auditor.agent.get('/api/v2/barong/admin/levels');
      }
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['admin.ability.not_permitted'] });
      const write = await auditor.agent.post(ADM, { uid: target.uid, key: 'vip', value: 'gold' });
      expect(write.body).toEqual({ errors: ['admin.ability.not_permitted'] });
      expect((await auditor.agent.get(`${ADM}/list`)).body).toEqual({ errors: ['admin.ability.not_permitted'] });
      expect(await labelsOf(target.id)).toEqual([]);
    });

    it('admin user views show labels with descriptions, user views without', async () => {
      const presenter = (await import('../../src/identity/users/user-presenter.js')).UserPresenter;
      const { user } = await agentWithRole(t, 'member');
      await superadmin.agent.post(ADM, { uid: user.uid, key: 'vip', value: 'gold', description: 'note' });
      const kyc = await t.get(presenter).withKyc(user);
      expect(kyc.labels).toEqual([{ key: 'vip', value: 'gold', scope: 'public', description: 'note', created_at: expect.any(String), updated_at: expect.any(String) }]);
      const full = await t.get(presenter).fullInfo(user);
      expect(full.labels).toEqual([{ key: 'vip', value: 'gold', scope: 'public', created_at: expect.any(String), updated_at: expect.any(String) }]);
    });
  });
});
