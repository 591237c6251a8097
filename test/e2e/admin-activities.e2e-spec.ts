import { randomBytes } from 'node:crypto';
import { ActivitiesService } from '../../src/core/audit/activities.service.js';
import type { ActivityResult } from '../../src/core/audit/activity.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const BASE = '/api/v2/barong/admin';
const ACTIVITY_KEYS = ['id', 'user_ip', 'user_ip_country', 'user_agent', 'topic', 'action', 'result', 'data', 'created_at'];
const USER_KEYS = ['email', 'uid', 'role', 'level', 'otp', 'state', 'referral_uid', 'data', 'username'].sort();
const tag = (): string => randomBytes(3).toString('hex');
/** Epoch seconds of a UTC date-time. */
const epoch = (iso: string): number => Date.parse(iso) / 1000;

describe('admin API over activities and metrics', () => {
  let t: TestApp;
  let superadmin: { agent: Agent; user: User };

  interface Row {
    user?: User | null;
    category?: 'user' | 'admin';
    topic: string;
    action: string;
    result?: ActivityResult;
    at: string;
    target?: User;
    data?: Record<string, unknown>;
  }
  /** Writes an activity through the service, then dates it. */
  const record = async (r: Row): Promise<string> => {
    await t.get(ActivitiesService).record({
      userId: r.user ? r.user.id : null,
      category: r.category ?? 'user',
      topic: r.topic,
      action: r.action,
      result: r.result ?? 'succeed',
      targetUid: r.target?.uid ?? null,
      data: r.data ?? null,
      meta: { ip: '198.51.100.7', userAgent: 'browser/1.0' },
    });
    const [{ id }] = await t.dataSource.query(`SELECT id FROM activities ORDER BY id DESC LIMIT 1`);
    await t.dataSource.query(`UPDATE activities SET created_at = $2 WHERE id = $1`, [id, r.at]);
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    superadmin = await agentWithRole(t, 'superadmin');
  });
  afterAll(() => t.close());

  describe('GET activities', () => {
    const topic = `t${tag()}`;
    let alice: User;
    let bob: User;
    beforeAll(async () => {
      alice = await createUser(t);
      bob = await createUser(t);
      await record({ user: alice, topic, action: 'login', result: 'failed', at: '2020-01-01T10:00:00Z', data: { reason: 'Invalid Email or Password' } });
      await record({ user: alice, topic, action: 'login', at: '2020-01-02T10:00:00Z' });
      await record({ user: bob, topic, action: 'logout', at: '2020-01-03T10:00:00Z' });
      await record({ user: superadmin.user, category: 'admin', topic, action: 'update', target: bob, at: '2020-01-04T10:00:00Z' });
    });

    it('lists user-category rows newest first, with the acting user, paginated', async () => {
      const res = await superadmin.agent.get(`${BASE}/activities`, { query: { topic, limit: 2 } });
      expect(res.status).toBe(200);
      expect(res.headers.total).toBe('3');
      expect(res.headers.page).toBe('1');
      expect(res.headers['per-page']).toBe('2');
      expect(res.headers.link).toContain('rel="last"');
      expect(res.body.map((a: any) => [a.action, a.user.uid])).toEqual([
        ['logout', bob.uid],
        ['login', alice.uid],
      ]);
      expect(Object.keys(res.body[0]).sort()).toEqual([...ACTIVITY_KEYS, 'user'].sort());
      expect(Object.keys(res.body[0].user).sort()).toEqual(USER_KEYS);
      expect(res.body[0]).toMatchObject({ user_ip: '198.51.100.7', user_agent: 'browser/1.0', result: 'succeed', created_at: '2020-01-03T10:00:00.000Z' });
      const page2 = await superadmin.agent.get(`${BASE}/activities`, { query: { topic, limit: 2, page: 2 } });
      expect(page2.body).toHaveLength(1);
      expect(page2.body[0]).toMatchObject({ action: 'login', result: 'failed', data: JSON.stringify({ reason: 'Invalid Email or Password' }) });
    });

    it('filters by action, uid, e-mail and time range (epoch seconds, inclusive)', async () => {
      const get = async (query: Record<string, string | number>): Promise<string[]> => {
        const res = await superadmin.agent.get(`${BASE}/activities`, { query: { topic, ...query } });
        expect(res.status).toBe(200);
        return res.body.map((a: any) => a.created_at.slice(0, 10));
      };
      expect(await get({ action: 'login' })).toEqual(['2020-01-02', '2020-01-01']);
      expect(await get({ uid: bob.uid })).toEqual(['2020-01-03']);
      expect(await get({ email: alice.email!.toUpperCase() })).toEqual(['2020-01-02', '2020-01-01']);
      expect(await get({ uid: 'IDFFFFFFFFFF' })).toEqual([]);
      expect(await get({ from: epoch('2020-01-02T10:00:00Z'), to: epoch('2020-01-03T10:00:00Z') })).toEqual(['2020-01-03', '2020-01-02']);
      expect(await get({ to: epoch('2020-01-01T10:00:00Z') })).toEqual(['2020-01-01']);
      expect(await get({ target_uid: bob.uid })).toEqual([]);
    });

    it.each([
      ['topic=a&topic=b', 'admin.activity.non_string_topic'],
      ['action=a&action=b', 'admin.activity.non_string_action'],
      ['uid=a&uid=b', 'admin.activity.non_string_uid'],
      ['email=a&email=b', 'admin.activity.non_string_email'],
      ['target_uid=a&target_uid=b', 'admin.activity.non_string_target_uid'],
      ['from=soon', 'admin.activity.non_integer_from'],
      ['limit=0', 'invalid_limit'],
    ])('rejects %s', async (qs, code) => {
      const res = await superadmin.agent.get(`${BASE}/activities?${qs}`);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: [code] });
    });

    it('needs the read Activity ability: compliance is refused, the auditor reads', async () => {
      const { agent } = await agentWithRole(t, 'compliance');
      const refused = await agent.get(`${BASE}/activities`, { query: { topic } });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ errors: ['admin.ability.not_permitted'] });
      const { agent: auditor } = await agentWithRole(t, 'auditor');
      const read = await auditor.get(`${BASE}/activities`, { query: { topic } });
      expect(read.status).toBe(200);
      expect(read.body).toHaveLength(3);
    });
  });

  describe('GET activities/admin', () => {
    const topic = `t${tag()}`;
    let target: User;
    let other: User;
    beforeAll(async () => {
      target = await createUser(t);
      other = await createUser(t);
      await record({ user: superadmin.user, category: 'admin', topic, action: 'update', target, at: '2021-03-01T00:00:00Z', data: { uid: target.uid } });
      await record({ user: superadmin.user, category: 'admin', topic, action: 'create', target: other, at: '2021-03-02T00:00:00Z' });
      await record({ user: target, category: 'admin', topic, action: 'read', result: 'denied', at: '2021-03-03T00:00:00Z' });
      await record({ user: target, topic, action: 'login', at: '2021-03-04T00:00:00Z' });
    });

    it('lists admin-category rows newest first with the acting admin and the target user', async () => {
      const res = await superadmin.agent.get(`${BASE}/activities/admin`, { query: { topic } });
      expect(res.status).toBe(200);
      expect(res.headers.total).toBe('3');
      expect(res.body.map((a: any) => [a.action, a.admin?.uid ?? null, a.target?.uid ?? null])).toEqual([
        ['read', target.uid, null],
        ['create', superadmin.user.uid, other.uid],
        ['update', superadmin.user.uid, target.uid],
      ]);
      expect(Object.keys(res.body[1]).sort()).toEqual([...ACTIVITY_KEYS, 'admin', 'target'].sort());
      expect(Object.keys(res.body[1].target).sort()).toEqual(USER_KEYS);
    });

    it('filters by target_uid, actor uid, action, and the created range', async () => {
      const get = async (query: Record<string, string | number>): Promise<string[]> => {
        const res = await superadmin.agent.get(`${BASE}/activities/admin`, { query: { topic, ...query } });
        expect(res.status).toBe(200);
        return res.body.map((a: any) => a.action);
      };
      expect(await get({ target_uid: target.uid })).toEqual(['update']);
      expect(await get({ uid: superadmin.user.uid })).toEqual(['create', 'update']);
      expect(await get({ email: target.email! })).toEqual(['read']);
      expect(await get({ action: 'create' })).toEqual(['create']);
      expect(await get({ range: 'created', from: epoch('2021-03-02T00:00:00Z') })).toEqual(['read', 'create']);
    });

    it('422 admin.activity.invalid_range', async () => {
      const res = await superadmin.agent.get(`${BASE}/activities/admin`, { query: { range: 'updated' } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['admin.activity.invalid_range'] });
    });
  });

  describe('GET metrics', () => {
    beforeAll(async () => {
      const u = await createUser(t);
      const rows: [string, string, ActivityResult, string][] = [
        ['account', 'signup', 'succeed', '2019-05-01T00:00:00Z'],
        ['account', 'signup', 'succeed', '2019-05-01T23:59:59Z'],
        ['account', 'signup', 'succeed', '2019-05-02T12:00:00Z'],
        ['session', 'login', 'succeed', '2019-05-02T08:00:00Z'],
        ['session', 'login', 'failed', '2019-05-02T09:00:00Z'],
        ['session', 'login', 'failed', '2019-05-03T09:00:00Z'],
        ['session', 'logout', 'succeed', '2019-05-02T10:00:00Z'],
        ['account', 'signup', 'succeed', '2019-04-30T23:59:59Z'],
      ];
      for (const [topic, action, result, at] of rows) await record({ user: u, topic, action, result, at });
    });

    it('counts sign-ups and logins per UTC date inside created_from..created_to (inclusive), and pending applications', async () => {
      const res = await superadmin.agent.get(`${BASE}/metrics`, {
        query: { created_from: epoch('2019-05-01T00:00:00Z'), created_to: epoch('2019-05-03T09:00:00Z') },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        signups: { '2019-05-01': 2, '2019-05-02': 1 },
        sucessful_logins: { '2019-05-02': 1 },
        failed_logins: { '2019-05-02': 1, '2019-05-03': 1 },
        pending_applications: expect.any(Number),
      });
      const narrow = await superadmin.agent.get(`${BASE}/metrics`, { query: { created_from: epoch('2019-05-02T00:00:00Z'), created_to: epoch('2019-05-02T08:59:59Z') } });
      expect(narrow.body).toMatchObject({ signups: {}, sucessful_logins: { '2019-05-02': 1 }, failed_logins: {} });
      const all = await superadmin.agent.get(`${BASE}/metrics`);
      expect(all.body.signups).toMatchObject({ '2019-04-30': 1, '2019-05-01': 2, '2019-05-02': 1 });
    });

    it('pending_applications counts private document:pending labels only', async () => {
      const before = (await superadmin.agent.get(`${BASE}/metrics`)).body.pending_applications;
      const labels = t.dataSource.getRepository(Label);
      const [a, b] = [await createUser(t), await createUser(t)];
      await labels.insert([
        { userId: a.id, key: 'document', value: 'pending', scope: 'private' },
        { userId: b.id, key: 'document', value: 'pending', scope: 'public' },
        { userId: b.id, key: 'document', value: 'verified', scope: 'private' },
      ]);
      const after = await superadmin.agent.get(`${BASE}/metrics`);
      expect(after.body.pending_applications).toBe(before + 1);
    });

    it('422 on non-integer bounds; the accountant may read metrics', async () => {
      const bad = await superadmin.agent.get(`${BASE}/metrics`, { query: { created_from: 'monday' } });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: ['admin.metrics.non_integer_created_from'] });
      const { agent } = await agentWithRole(t, 'accountant');
      expect((await agent.get(`${BASE}/metrics`)).status).toBe(200);
    });
  });
});
