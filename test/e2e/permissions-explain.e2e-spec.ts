import type { Agent } from '../support/agent.js';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';
import { UNGUARDED_PREFIXES } from '../../src/access/permissions/permissions.authorizer.js';

const PERMISSIONS = '/api/v2/barong/admin/permissions';

describe('permission explain and dry-run', () => {
  let t: TestApp;
  let superadmin: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    superadmin = (await agentWithRole(t, 'superadmin')).agent;
  });
  afterAll(() => t.close());

  it("explain agrees with the gateway's decision on every seeded rule, naming the rows that decided", async () => {
    const rules: { id: number; role: string; verb: string; path: string; action: string }[] = await t.dataSource.query(
      `SELECT id, role, verb, path, action FROM permissions ORDER BY id`,
    );
    expect(rules.length).toBeGreaterThan(200);
    const agents = new Map<string, Agent>();
    const skipped = (path: string): boolean =>
      [...t.config.barong.authzPassRules, ...t.config.barong.authzBlockRules, ...UNGUARDED_PREFIXES].some((p) => path.startsWith(p));
    let compared = 0;
    for (const rule of rules) {
      if (skipped(rule.path)) continue;
      if (!agents.has(rule.role)) agents.set(rule.role, (await agentWithRole(t, rule.role)).agent);
      const verb = rule.verb === 'ALL' ? 'GET' : rule.verb;
      const path = `${rule.path.replace(/\/$/, '')}/probe`;
      const explained = await superadmin.get(`${PERMISSIONS}/explain`, { query: { role: rule.role, verb, path } });
      expect(explained.status).toBe(200);
      const gateway = await agents.get(rule.role)!.send(verb, `/api/v2/auth/${path}`);
      expect([200, 401]).toContain(gateway.status);
      expect({ rule, decision: explained.body.decision }).toEqual({ rule, decision: gateway.status === 200 ? 'allow' : 'deny' });
      expect(explained.body.matched.map((r: any) => r.id)).toContain(rule.id);
      if (rule.action === 'DROP') expect(explained.body).toMatchObject({ decision: 'deny', reason: 'drop' });
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('explain shows matched and unmatched rows with the reason', async () => {
    const res = await superadmin.get(`${PERMISSIONS}/explain`, { query: { role: 'admin', verb: 'get', path: '/api/v2/barong/admin/permissions' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'deny', reason: 'drop', audit: false });
    expect(res.body.matched).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'admin', verb: 'ALL', path: 'api/v2', action: 'ACCEPT' }),
        expect.objectContaining({ role: 'admin', verb: 'ALL', path: 'api/v2/barong/admin/permissions', action: 'DROP' }),
      ]),
    );
    expect(res.body.unmatched).toContainEqual(expect.objectContaining({ verb: 'POST', path: 'api/v2/', action: 'AUDIT', mismatch: 'verb' }));
    expect(res.body.unmatched).toContainEqual(expect.objectContaining({ path: 'api/v2/ranger', mismatch: 'path' }));
    const audited = await superadmin.get(`${PERMISSIONS}/explain`, { query: { role: 'superadmin', verb: 'POST', path: 'api/v2/barong/admin/users/update' } });
    expect(audited.body).toMatchObject({ decision: 'allow', reason: 'accept', audit: true, audit_topic: 'users' });
    const nobody = await superadmin.get(`${PERMISSIONS}/explain`, { query: { role: 'nobody', verb: 'GET', path: 'api/v2' } });
    expect(nobody.body).toMatchObject({ decision: 'deny', reason: 'unknown_role', matched: [] });
    const bad = await superadmin.get(`${PERMISSIONS}/explain`, { query: { role: 'member' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(expect.arrayContaining(['admin.permission.missing_verb', 'admin.permission.missing_path']));
    // Admins cannot read the permissions table (Barong's DROP), so they cannot explain it either.
    const admin = (await agentWithRole(t, 'admin')).agent;
    expect((await admin.get(`${PERMISSIONS}/explain`, { query: { role: 'member', verb: 'GET', path: 'api/v2' } })).status).toBe(401);
  });

  it('dry-run reports which recent requests an added DROP rule would flip, with counts, and saves nothing', async () => {
    const member = (await agentWithRole(t, 'member')).agent;
    const other = (await agentWithRole(t, 'member')).agent;
    for (let i = 0; i < 3; i++) expect((await member.get('/api/v2/barong/resource/api_keys')).status).toBe(200);
    expect((await other.get('/api/v2/barong/resource/api_keys')).status).toBe(200);
    expect((await member.get('/api/v2/barong/resource/users/me')).status).toBe(200);
    expect((await member.get('/api/v2/barong/admin/users')).status).toBe(401);
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM permissions`))[0].n;

    const res = await superadmin.post(`${PERMISSIONS}/dry_run`, { add: [{ role: 'member', verb: 'get', path: 'api/v2/barong/resource/api_keys', action: 'drop' }] });
    expect(res.status).toBe(200);
    expect(res.body.flips).toEqual([{ role: 'member', verb: 'GET', path: 'api/v2/barong/resource/api_keys', sample_path: 'api/v2/barong/resource/api_keys', from: 'allow', to: 'deny', count: 4 }]);
    expect(res.body.sampled).toBeGreaterThanOrEqual(3);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM permissions`))[0].n).toBe(before);
    expect((await member.get('/api/v2/barong/resource/api_keys')).status).toBe(200);

    // Removing the member's ACCEPT of the whole resource API flips every resource request; the refused admin call stays refused.
    const [accept] = await t.dataSource.query(`SELECT id FROM permissions WHERE role = 'member' AND path = 'api/v2/barong/resource' AND action = 'ACCEPT'`);
    const removal = await superadmin.post(`${PERMISSIONS}/dry_run`, { remove: [accept.id] });
    expect(removal.body.flips.map((f: any) => [f.path, f.from, f.to])).toEqual(
      expect.arrayContaining([
        ['api/v2/barong/resource/api_keys', 'allow', 'deny'],
        ['api/v2/barong/resource/users/me', 'allow', 'deny'],
      ]),
    );
    expect(removal.body.flips.map((f: any) => f.path)).not.toContain('api/v2/barong/admin/users');

    const grant = await superadmin.post(`${PERMISSIONS}/dry_run`, { change: [{ id: accept.id, path: 'api/v2/barong' }] });
    expect(grant.body.flips).toContainEqual(expect.objectContaining({ role: 'member', path: 'api/v2/barong/admin/users', from: 'deny', to: 'allow', count: 1 }));

    const invalid = await superadmin.post(`${PERMISSIONS}/dry_run`, { add: [{ role: 'member', verb: 'fly', path: 'x', action: 'drop' }], remove: ['x'] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toEqual(['admin.permissions.invalid_add', 'admin.permissions.invalid_remove']);
    const unknown = await superadmin.post(`${PERMISSIONS}/dry_run`, { remove: [987654] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual(['admin.permission.doesnt_exist']);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM activities WHERE topic = 'permissions' AND action = 'dry_run'`);
    expect(n).toBe(3);
  });
});
