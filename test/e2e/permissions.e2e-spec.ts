import { AccessControl } from '../../src/core/auth/access-control.js';
import type { Principal } from '../../src/core/auth/principal.js';
import { PermissionsService } from '../../src/access/permissions/permissions.service.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ROUTE = '/api/v2/barong/admin/permissions';
const PATH = ROUTE.slice(1);

interface ActivityRow {
  user_id: string | null;
  target_uid: string | null;
  category: string;
  topic: string;
  action: string;
  result: string;
  user_ip: string;
  user_agent: string;
  data: string | null;
}

async function activitiesOf(t: TestApp, userId: string): Promise<ActivityRow[]> {
  return t.dataSource.query(
    `SELECT user_id, target_uid, category, topic, action, result, user_ip, user_agent, data FROM activities WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
}

async function insertRule(t: TestApp, role: string, verb: string, path: string, action: string, topic: string | null = null): Promise<number> {
  const rows: { id: number }[] = await t.dataSource.query(
    `INSERT INTO permissions (role, verb, path, action, topic) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [role, verb, path, action, topic],
  );
  return rows[0]!.id;
}

/** Polls the instance's in-memory matcher until it gives the expected answer; returns the wait in ms. */
async function waitForDecision(t: TestApp, role: string, method: string, path: string, allowed: boolean): Promise<number> {
  const started = Date.now();
  const service = t.get(PermissionsService);
  while (service.decide(role, method, path).allowed !== allowed) {
    if (Date.now() - started > 3000) throw new Error(`decision for ${role} ${method} ${path} never became ${allowed}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe('permissions: RBAC table, matcher, authorizer and admin API', () => {
  let t: TestApp;
  let superadmin: { agent: Agent; user: { id: string; uid: string } };

  beforeAll(async () => {
    t = await createTestApp();
    superadmin = await agentWithRole(t, 'superadmin');
  });
  afterAll(() => t.close());

  describe('seeds', () => {
    it('seeds Barong roles plus auditor, served from memory as the role catalog', async () => {
      const roles = await t.get(AccessControl).roles();
      expect(roles).toEqual(
        expect.arrayContaining(['superadmin', 'admin', 'accountant', 'compliance', 'technical', 'support', 'trader', 'broker', 'member', 'maker', 'sa_maker', 'reporter', 'auditor']),
      );
      const rows: { role: string; verb: string; path: string; action: string }[] = await t.dataSource.query(
        `SELECT role, verb, path, action FROM permissions ORDER BY id`,
      );
      const has = (role: string, verb: string, path: string, action: string): boolean =>
        rows.some((r) => r.role === role && r.verb === verb && r.path === path && r.action === action);
      expect(has('superadmin', 'ALL', 'api/v2', 'ACCEPT')).toBe(true);
      for (const verb of ['POST', 'PUT', 'DELETE']) expect(has('superadmin', verb, 'api/v2/', 'AUDIT')).toBe(true);
      for (const path of ['api/v2/barong/admin/permissions', 'api/v2/barong/admin/users/role', 'api/v2/barong/admin/activities/admin']) {
        expect(has('admin', 'ALL', path, 'DROP')).toBe(true);
      }
      for (const role of ['member', 'trader', 'broker', 'maker', 'sa_maker', 'accountant', 'compliance', 'technical', 'support', 'reporter']) {
        expect(has(role, 'ALL', 'api/v2/barong/resource', 'ACCEPT')).toBe(true);
      }
      expect(rows.filter((r) => r.role === 'auditor')).toEqual([{ role: 'auditor', verb: 'GET', path: 'api/v2/barong/admin/activities', action: 'ACCEPT' }]);
    });

    it('decides like Barong for the seeded roles', () => {
      const p = t.get(PermissionsService);
      expect(p.decide('member', 'GET', 'api/v2/barong/resource/users/me').allowed).toBe(true);
      expect(p.decide('member', 'GET', 'api/v2/barong/admin/users').allowed).toBe(false);
      expect(p.decide('admin', 'GET', 'api/v2/barong/admin/users').allowed).toBe(true);
      expect(p.decide('admin', 'POST', 'api/v2/barong/admin/users/role').allowed).toBe(false);
      expect(p.decide('admin', 'GET', 'api/v2/barong/admin/activities/admin').allowed).toBe(false);
      expect(p.decide('admin', 'GET', 'api/v2/barong/admin/activities').allowed).toBe(true);
      expect(p.decide('sa_maker', 'POST', 'api/v2/barong/resource/api_keys').allowed).toBe(false);
      expect(p.decide('sa_maker', 'GET', 'api/v2/barong/resource/users/me').allowed).toBe(true);
      expect(p.decide('support', 'POST', 'api/v2/barong/admin/users/update').allowed).toBe(true);
      expect(p.decide('support', 'POST', 'api/v2/barong/admin/users').allowed).toBe(false);
      expect(p.decide('superadmin', 'DELETE', 'api/v2/barong/admin/permissions')).toEqual({ allowed: true, audit: true, auditTopic: null });
      // auditor: the activity logs (user and admin) and nothing else
      expect(p.decide('auditor', 'GET', 'api/v2/barong/admin/activities').allowed).toBe(true);
      expect(p.decide('auditor', 'GET', 'api/v2/barong/admin/activities/admin').allowed).toBe(true);
      expect(p.decide('auditor', 'POST', 'api/v2/barong/admin/activities').allowed).toBe(false);
      expect(p.decide('auditor', 'GET', 'api/v2/barong/admin/users').allowed).toBe(false);
      expect(p.decide('auditor', 'GET', 'api/v2/barong/resource/users/me').allowed).toBe(false);
    });
  });

  describe('the authorizer on a real route', () => {
    it('lets superadmin through and denies member, auditor and admin (DROP beats ACCEPT) with a denied activity', async () => {
      expect((await superadmin.agent.get(ROUTE)).status).toBe(200);
      for (const role of ['member', 'auditor', 'admin']) {
        const { agent, user } = await agentWithRole(t, role);
        const res = await agent.get(ROUTE, { query: { uid: 'IDTARGET0001', password: 'hunter2', limit: 5 } });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['authz.invalid_permission'] });
        const rows = await activitiesOf(t, user.id);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          category: 'admin',
          topic: 'permissions',
          action: 'read',
          result: 'denied',
          target_uid: 'IDTARGET0001',
          user_ip: agent.ip,
          user_agent: agent.userAgent,
        });
        expect(JSON.parse(rows[0]!.data!)).toEqual({ uid: 'IDTARGET0001', limit: '5' });
      }
    });

    it('lets the auditor read the activity logs (user and admin) over HTTP', async () => {
      const { agent } = await agentWithRole(t, 'auditor');
      for (const route of ['/api/v2/barong/admin/activities', '/api/v2/barong/admin/activities/admin']) {
        const res = await agent.get(route);
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body)).toBe(true);
      }
    });

    it('denies writes too, and refuses before validation', async () => {
      const { agent, user } = await agentWithRole(t, 'admin');
      const res = await agent.post(ROUTE, { role: 'member', verb: 'get', path: 'x', action: 'accept', otp_code: '123456' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.invalid_permission'] });
      const rows = await activitiesOf(t, user.id);
      expect(rows).toMatchObject([{ category: 'admin', topic: 'permissions', action: 'create', result: 'denied', target_uid: null }]);
      expect(JSON.parse(rows[0]!.data!)).toEqual({ role: 'member', verb: 'get', path: 'x', action: 'accept' });
      expect(await t.dataSource.query(`SELECT 1 FROM permissions WHERE path = 'x'`)).toHaveLength(0);
    });

    it('records an AUDIT match under the rule topic, and AUDIT alone never grants', async () => {
      const { agent, user } = await agentWithRole(t, 'superadmin');
      await insertRule(t, 'superadmin', 'GET', PATH, 'AUDIT', 'perm-reads');
      await waitForDecision(t, 'superadmin', 'GET', PATH, true);
      while (!t.get(PermissionsService).decide('superadmin', 'GET', PATH).audit) await new Promise((r) => setTimeout(r, 10));
      const res = await agent.get(ROUTE, { query: { user_uid: 'IDTARGET0002', secret: 's3cr3t' } });
      expect(res.status).toBe(200);
      const rows = await activitiesOf(t, user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ category: 'admin', topic: 'perm-reads', action: 'read', result: 'succeed', target_uid: 'IDTARGET0002' });
      expect(JSON.parse(rows[0]!.data!)).toEqual({ user_uid: 'IDTARGET0002' });

      // an AUDIT rule for a role with no ACCEPT does not open the route
      await insertRule(t, 'maker', 'GET', PATH, 'AUDIT', 'perm-reads');
      const maker = await agentWithRole(t, 'maker');
      await t.get(PermissionsService).reload();
      const denied = await maker.agent.get(ROUTE);
      expect(denied.status).toBe(401);
      expect(denied.body).toEqual({ errors: ['authz.invalid_permission'] });
      expect(await activitiesOf(t, maker.user.id)).toMatchObject([{ topic: 'permissions', action: 'read', result: 'denied' }]);
    });

    it('leaves the identity and public faces and tenant keys to themselves, and never logs service accounts', async () => {
      const access = t.get(AccessControl);
      const member = { kind: 'user' as const, via: 'session' as const, sessionId: 'none', id: superadmin.user.id, uid: 'IDMEMBER0001', appId: 'x', role: 'member', state: 'active', email: 'm@example.com' };
      const req = (method: string, path: string) => ({ method, path, ip: '10.9.9.9', userAgent: 'ua', params: {} });
      await expect(access.authorize(member, req('DELETE', 'api/v2/barong/identity/sessions'))).resolves.toBeUndefined();
      await expect(access.authorize(member, req('GET', 'api/v2/barong/public/kyc'))).resolves.toBeUndefined();
      await expect(access.authorize({ ...member, kind: 'app', role: 'tenant' } as unknown as Principal, req('GET', 'v1/users'))).resolves.toBeUndefined();
      const before = (await activitiesOf(t, superadmin.user.id)).length;
      await expect(access.authorize({ ...member, kind: 'service_account', role: 'sa_maker' } as unknown as Principal, req('POST', 'api/v2/barong/resource/api_keys'))).rejects.toMatchObject({
        status: 401,
        codes: ['authz.invalid_permission'],
      });
      await expect(access.authorize({ ...member, kind: 'service_account', role: 'superadmin' } as unknown as Principal, req('POST', 'api/v2/barong/admin/users'))).resolves.toBeUndefined();
      expect(await activitiesOf(t, superadmin.user.id)).toHaveLength(before);
    });

    it('does not add an AUDIT activity to a self-audited route', async () => {
      const { agent, user } = await agentWithRole(t, 'superadmin');
      const res = await agent.post(ROUTE, { role: 'broker', verb: 'get', path: 'api/v2/self-audit', action: 'accept' });
      expect(res.status).toBe(200);
      const rows = await activitiesOf(t, user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ category: 'admin', topic: 'permissions', action: 'create', result: 'succeed' });
    });
  });

  describe('reload', () => {
    it('a row inserted, changed or deleted by SQL is in force within a second, here and on a second instance', async () => {
      const t2 = await createTestApp({}, { databaseUrl: t.databaseUrl });
      try {
        const listeners = async (): Promise<number> =>
          Number((await t.dataSource.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'barong-nest-permissions' AND datname = current_database()`))[0].n);
        expect(await listeners()).toBe(2);

        const path = 'api/v2/barong/admin/permissions';
        expect(t2.get(PermissionsService).decide('trader', 'GET', path).allowed).toBe(false);
        const id = await insertRule(t, 'trader', 'GET', path, 'ACCEPT');
        const [here, there] = await Promise.all([waitForDecision(t, 'trader', 'GET', path, true), waitForDecision(t2, 'trader', 'GET', path, true)]);
        expect(here).toBeLessThan(1000);
        expect(there).toBeLessThan(1000);

        // over HTTP on the second instance: RBAC now passes, the admin ability layer answers
        const trader = await agentWithRole(t2, 'trader');
        const res = await trader.agent.get(ROUTE);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['admin.ability.not_permitted'] });

        await t.dataSource.query(`UPDATE permissions SET action = 'DROP' WHERE id = $1`, [id]);
        expect(await waitForDecision(t2, 'trader', 'GET', path, false)).toBeLessThan(1000);
        await t.dataSource.query(`UPDATE permissions SET action = 'ACCEPT' WHERE id = $1`, [id]);
        expect(await waitForDecision(t2, 'trader', 'GET', path, true)).toBeLessThan(1000);
        await t.dataSource.query(`DELETE FROM permissions WHERE id = $1`, [id]);
        expect(await waitForDecision(t, 'trader', 'GET', path, false)).toBeLessThan(1000);
        expect(await waitForDecision(t2, 'trader', 'GET', path, false)).toBeLessThan(1000);

        // a write through the admin API on one instance is in force at once there, and soon on the other
        const created = await superadmin.agent.post(ROUTE, { role: 'trader', verb: 'all', path: 'api/v2/instances', action: 'accept' });
        expect(created.status).toBe(200);
        expect(t.get(PermissionsService).decide('trader', 'PATCH', 'api/v2/instances/x').allowed).toBe(true);
        expect(await waitForDecision(t2, 'trader', 'PATCH', 'api/v2/instances/x', true)).toBeLessThan(1000);
      } finally {
        await t2.close();
      }
      // the second instance closed its listener on shutdown
      const left = await t.dataSource.query(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'barong-nest-permissions' AND datname = current_database()`,
      );
      expect(Number(left[0].n)).toBe(1);
    });
  });

  describe('admin API', () => {
    it('GET lists permissions with Barong pagination headers', async () => {
      const total = Number((await t.dataSource.query(`SELECT count(*) AS n FROM permissions`))[0].n);
      const res = await superadmin.agent.get(ROUTE, { query: { page: 2, limit: 3 } });
      expect(res.status).toBe(200);
      expect(res.headers.total).toBe(String(total));
      expect(res.headers.page).toBe('2');
      expect(res.headers['per-page']).toBe('3');
      expect(res.headers.link).toContain('rel="next"');
      expect(res.body).toHaveLength(3);
      const ids: { id: number }[] = await t.dataSource.query(`SELECT id FROM permissions ORDER BY id LIMIT 3 OFFSET 3`);
      expect(res.body.map((p: { id: number }) => p.id)).toEqual(ids.map((r) => r.id));
      expect(res.body[0]).toEqual({
        id: expect.any(Number),
        role: expect.any(String),
        verb: expect.any(String),
        path: expect.any(String),
        action: expect.stringMatching(/^(ACCEPT|DROP|AUDIT)$/),
        topic: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const bad = await superadmin.agent.get(ROUTE, { query: { page: 0, limit: 101 } });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: ['non_positive_page', 'invalid_limit'] });
      const text = await superadmin.agent.get(ROUTE, { query: { page: 'x' } });
      expect(text.status).toBe(422);
      expect(text.body.errors).toContain('non_integer_page');
    });

    it('POST creates a rule (upper-cased), answers 200, reloads at once and writes its activity', async () => {
      const { agent, user } = await agentWithRole(t, 'superadmin');
      const res = await agent.post(ROUTE, { role: 'auditor', verb: 'get', path: 'api/v2/barong/admin/permissions', action: 'accept', topic: 'perm' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.any(Number),
        role: 'auditor',
        verb: 'GET',
        path: 'api/v2/barong/admin/permissions',
        action: 'ACCEPT',
        topic: 'perm',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const [row] = await t.dataSource.query(`SELECT role, verb, path, action, topic FROM permissions WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ role: 'auditor', verb: 'GET', path: 'api/v2/barong/admin/permissions', action: 'ACCEPT', topic: 'perm' });
      const rows = await activitiesOf(t, user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ category: 'admin', topic: 'permissions', action: 'create', result: 'succeed', user_ip: agent.ip });
      expect(JSON.parse(rows[0]!.data!)).toEqual({ id: res.body.id, role: 'auditor', verb: 'GET', path: 'api/v2/barong/admin/permissions', action: 'ACCEPT', topic: 'perm' });

      // in force immediately: the auditor passes RBAC and meets the ability layer (read Activity only)
      const auditor = await agentWithRole(t, 'auditor');
      const denied = await auditor.agent.get(ROUTE);
      expect(denied.status).toBe(401);
      expect(denied.body).toEqual({ errors: ['admin.ability.not_permitted'] });

      // form-encoded bodies work too
      const form = await agent.send('POST', ROUTE, { form: { role: 'auditor', verb: 'Delete', path: 'api/v2/form', action: 'Drop' } });
      expect(form.status).toBe(200);
      expect(form.body).toMatchObject({ verb: 'DELETE', action: 'DROP', topic: null });
    });

    it('POST validates like Barong', async () => {
      const a = superadmin.agent;
      const missing = await a.post(ROUTE, {});
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({
        errors: [
          'admin.permission.missing_role',
          'admin.permission.empty_role',
          'admin.permission.missing_verb',
          'admin.permission.empty_verb',
          'admin.permission.missing_path',
          'admin.permission.empty_path',
          'admin.permission.missing_action',
          'admin.permission.empty_action',
        ],
      });
      const blank = await a.post(ROUTE, { role: ' ', verb: 'get', path: '', action: 'accept' });
      expect(blank.status).toBe(422);
      expect(blank.body).toEqual({ errors: ['admin.permission.empty_role', 'admin.permission.empty_path'] });
      const verb = await a.post(ROUTE, { role: 'member', verb: 'fetch', path: 'api/v2/x', action: 'nope' });
      expect(verb.status).toBe(422);
      expect(verb.body).toEqual({ errors: ['admin.permissions.invalid_verb'] });
      const action = await a.post(ROUTE, { role: 'member', verb: 'PATCH', path: 'api/v2/x', action: 'allow' });
      expect(action.status).toBe(422);
      expect(action.body).toEqual({ errors: ['admin.permissions.invalid_action'] });
      const role = await a.post(ROUTE, { role: 'brand-new-role', verb: 'get', path: 'api/v2/x', action: 'accept' });
      expect(role.status).toBe(422);
      expect(role.body).toEqual({ errors: ['admin.permission.role_doesnt_exist'] });
      const long = await a.post(ROUTE, { role: 'member', verb: 'get', path: 'p'.repeat(256), action: 'accept' });
      expect(long.status).toBe(422);
      expect(long.body).toEqual({ errors: ['path.too_long'] });
      const typed = await a.post(ROUTE, { role: ['member'], verb: 'get', path: 'api/v2/x', action: 'accept' });
      expect(typed.status).toBe(422);
      expect(typed.body).toEqual({ errors: ['admin.permission.non_string_role'] });
      expect(await t.dataSource.query(`SELECT 1 FROM permissions WHERE path = 'api/v2/x' OR role = 'brand-new-role'`)).toHaveLength(0);
    });

    it('PUT updates the given fields, writes its activity, and answers 404 / 422', async () => {
      const { agent, user } = await agentWithRole(t, 'superadmin');
      const id = await insertRule(t, 'broker', 'GET', 'api/v2/put-me', 'ACCEPT');
      const res = await agent.put(ROUTE, { id: String(id), action: 'drop', topic: 'brokers' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, role: 'broker', verb: 'GET', path: 'api/v2/put-me', action: 'DROP', topic: 'brokers' });
      const [row] = await t.dataSource.query(`SELECT action, topic FROM permissions WHERE id = $1`, [id]);
      expect(row).toEqual({ action: 'DROP', topic: 'brokers' });
      expect(t.get(PermissionsService).decide('broker', 'GET', 'api/v2/put-me').allowed).toBe(false);
      const rows = await activitiesOf(t, user.id);
      expect(rows).toMatchObject([{ category: 'admin', topic: 'permissions', action: 'update', result: 'succeed' }]);
      expect(JSON.parse(rows[0]!.data!)).toEqual({ id, before: { action: 'ACCEPT', topic: null }, after: { action: 'DROP', topic: 'brokers' } });

      const unknown = await agent.put(ROUTE, { id: 999999, role: 'member' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ errors: ['admin.permission.doesnt_exist'] });
      const noId = await agent.put(ROUTE, { role: 'member' });
      expect(noId.status).toBe(422);
      expect(noId.body).toEqual({ errors: ['admin.permission.missing_id', 'admin.permission.empty_id'] });
      const badId = await agent.put(ROUTE, { id: 'abc' });
      expect(badId.status).toBe(422);
      expect(badId.body).toEqual({ errors: ['admin.permission.non_integer_id'] });
      const emptyPath = await agent.put(ROUTE, { id, path: '' });
      expect(emptyPath.status).toBe(422);
      expect(emptyPath.body).toEqual({ errors: ['admin.permission.empty_path'] });
      expect(await activitiesOf(t, user.id)).toHaveLength(1);
    });

    it('DELETE removes by id from the body or the query, writes its activity, and answers 404 / 422', async () => {
      const { agent, user } = await agentWithRole(t, 'superadmin');
      const first = await insertRule(t, 'broker', 'GET', 'api/v2/delete-me', 'ACCEPT');
      const second = await insertRule(t, 'broker', 'POST', 'api/v2/delete-me-too', 'ACCEPT');
      await waitForDecision(t, 'broker', 'POST', 'api/v2/delete-me-too', true);
      const res = await agent.delete(ROUTE, { id: first });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: first, role: 'broker', path: 'api/v2/delete-me' });
      const viaQuery = await agent.delete(`${ROUTE}?id=${second}`);
      expect(viaQuery.status).toBe(200);
      expect(await t.dataSource.query(`SELECT 1 FROM permissions WHERE id IN ($1, $2)`, [first, second])).toHaveLength(0);
      expect(t.get(PermissionsService).decide('broker', 'POST', 'api/v2/delete-me-too').allowed).toBe(false);
      const rows = await activitiesOf(t, user.id);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ category: 'admin', topic: 'permissions', action: 'delete', result: 'succeed' });
      expect(JSON.parse(rows[0]!.data!)).toEqual({ id: first, role: 'broker', verb: 'GET', path: 'api/v2/delete-me', action: 'ACCEPT', topic: null });

      const again = await agent.delete(ROUTE, { id: first });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ errors: ['admin.permission.doesnt_exist'] });
      const noId = await agent.delete(ROUTE);
      expect(noId.status).toBe(422);
      expect(noId.body).toEqual({ errors: ['admin.permission.missing_id', 'admin.permission.empty_id'] });
      const empty = await agent.delete(ROUTE, { id: '' });
      expect(empty.status).toBe(422);
      expect(empty.body).toEqual({ errors: ['admin.permission.empty_id'] });
    });

    it('every verb needs its ability (admin.ability.not_permitted) once RBAC lets the role in', async () => {
      await insertRule(t, 'technical', 'ALL', PATH, 'ACCEPT');
      await insertRule(t, 'technical', 'ALL', 'api/v2/barong/admin/permissionsX', 'ACCEPT');
      await t.dataSource.query(`DELETE FROM permissions WHERE role = 'technical' AND path = $1 AND action = 'DROP'`, [PATH]);
      await waitForDecision(t, 'technical', 'DELETE', PATH, true);
      const { agent } = await agentWithRole(t, 'technical');
      const id = await insertRule(t, 'broker', 'GET', 'api/v2/ability', 'ACCEPT');
      for (const res of [
        await agent.get(ROUTE),
        await agent.post(ROUTE, { role: 'broker', verb: 'get', path: 'api/v2/ability2', action: 'accept' }),
        await agent.put(ROUTE, { id, action: 'drop' }),
        await agent.delete(ROUTE, { id }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: ['admin.ability.not_permitted'] });
      }
      expect(await t.dataSource.query(`SELECT action FROM permissions WHERE id = $1`, [id])).toEqual([{ action: 'ACCEPT' }]);
    });
  });
});
