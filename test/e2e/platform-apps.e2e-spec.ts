import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import type { Repository } from 'typeorm';
import type { App } from '../../src/identity/tenants/app.entity.js';
import { TenantsService } from '../../src/identity/tenants/tenants.service.js';
import { agentWithRole } from '../support/factories.js';
import { createTenant, expectSbError, PlatformClient, superadmin } from '../support/platform.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('platform face: tenant apps, keys and wire rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('requests that find an app key expired in the cache share one look-up', async () => {
    // Made by the service itself, so the admin activities of the next test are its own.
    const { secretKey } = await t.get(TenantsService).create('Busy Shop');
    const client = new PlatformClient(t.agent(), secretKey);
    expect((await client.post('/v1/auth/passwords/strength_check', { password: 'x' })).status).toBe(200);
    // The key cache trusts an entry for 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const apps = (t.get(TenantsService) as unknown as { apps: Repository<App> }).apps;
    const findOne = jest.spyOn(apps, 'findOne');
    try {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => client.post('/v1/auth/passwords/strength_check', { password: 'x' }).then((r) => r.status)));
      expect(statuses).toEqual(Array(20).fill(200));
      expect(findOne).toHaveBeenCalledTimes(1);
    } finally {
      findOne.mockRestore();
    }
  });

  it('a superadmin creates, lists, rotates and disables apps; each write is an admin activity', async () => {
    const admin = await superadmin(t);
    const created = await admin.post('/api/v2/barong/admin/apps', { name: 'Shop One' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      app_id: expect.stringMatching(/^app_[0-9A-Za-z]{22}$/),
      name: 'Shop One',
      secret_key: expect.stringMatching(/^sk_test_[A-Za-z0-9]{48}$/),
      public_token: expect.stringMatching(/^pk_test_[A-Za-z0-9]{48}$/),
      created_at: expect.any(Number),
    });
    const stored = await t.dataSource.query('SELECT secret_key_hash FROM apps WHERE public_token = $1', [created.body.public_token]);
    expect(stored[0].secret_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].secret_key_hash).not.toContain(created.body.secret_key.slice(8));

    const list = await admin.get('/api/v2/barong/admin/apps');
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual({ app_id: created.body.app_id, name: 'Shop One', public_token: created.body.public_token, status: 'active', created_at: created.body.created_at });
    expect(list.body.every((a: { secret_key?: string }) => a.secret_key === undefined)).toBe(true);

    const old = new PlatformClient(t.agent(), created.body.secret_key);
    expect((await old.post('/v1/auth/passwords/strength_check', { password: 'x' })).status).toBe(200);
    const rotated = await admin.post(`/api/v2/barong/admin/apps/${created.body.app_id}/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({ app_id: created.body.app_id, secret_key: expect.stringMatching(/^sk_test_/) });
    expectSbError(await old.post('/v1/auth/passwords/strength_check', { password: 'x' }), 401, 'unauthorized_credentials');
    const fresh = new PlatformClient(t.agent(), rotated.body.secret_key);
    expect((await fresh.post('/v1/auth/passwords/strength_check', { password: 'x' })).status).toBe(200);

    const disabled = await admin.post(`/api/v2/barong/admin/apps/${created.body.app_id}/disable`);
    expect(disabled.status).toBe(201);
    expect(disabled.body).toMatchObject({ app_id: created.body.app_id, status: 'disabled' });
    expectSbError(await fresh.post('/v1/auth/passwords/strength_check', { password: 'x' }), 401, 'unauthorized_credentials');
    expectSbError(await t.agent().get(`/v1/auth/jwks/default`, { query: { public_token: created.body.public_token } }), 401, 'unauthorized_credentials');

    const activities = await t.dataSource.query(`SELECT action, category, data FROM activities WHERE topic = 'apps' ORDER BY created_at`);
    expect(activities.map((a: { action: string }) => a.action)).toEqual(['create', 'rotate', 'disable']);
    expect(activities.every((a: { category: string; data: string }) => a.category === 'admin' && !a.data.includes('sk_test'))).toBe(true);

    expect((await admin.post('/api/v2/barong/admin/apps/app_0000000000000000000000/rotate')).status).toBe(404);
    expect((await admin.post('/api/v2/barong/admin/apps', {})).body).toEqual({ errors: ['admin.app.missing_name'] });
  });

  it('only a superadmin may manage apps', async () => {
    for (const role of ['admin', 'member', 'compliance']) {
      const { agent } = await agentWithRole(t, role);
      const res = await agent.post('/api/v2/barong/admin/apps', { name: 'nope' });
      expect(res.status).toBe(401);
      expect((await agent.get('/api/v2/barong/admin/apps')).status).toBe(401);
    }
  });

  it('/v1 needs a live secret key: none, unknown, a public token, malformed → 401 in the error shape', async () => {
    const { app } = await createTenant(t, await superadmin(t));
    const anon = t.agent();
    expectSbError(await anon.post('/v1/auth/users/create', { email: 'a@example.com' }), 401, 'unauthorized_credentials');
    for (const auth of [`Bearer sk_test_${'x'.repeat(48)}`, `Bearer ${app.public_token}`, 'Bearer nonsense', 'Basic abc']) {
      expectSbError(await anon.post('/v1/auth/users/create', { email: 'a@example.com' }, { headers: { authorization: auth } }), 401, 'unauthorized_credentials');
    }
  });

  it('wire rules: JSON everywhere, 404 for unknown routes, 400 for malformed JSON, empty JSON body is {}, extra fields stripped', async () => {
    const { client } = await createTenant(t, await superadmin(t));
    expectSbError(await client.get('/v1/auth/nothing/here'), 404, 'route_not_found');
    expectSbError(await client.send('PATCH', '/v1/auth/users/create', {}), 404, 'route_not_found');
    expectSbError(await client.send('POST', '/v1/auth/users/create', '{"email":'), 400, 'bad_request');
    expectSbError(await client.send('POST', '/v1/auth/users/create', '[1,2]'), 400);
    expectSbError(await client.send('POST', '/v1/auth/users/create', 'null'), 400, 'invalid_create_user_request');
    // An empty body with a JSON content type reads as {}.
    const empty = await client.send('POST', '/v1/auth/users/create', '', { 'content-type': 'application/json' });
    expectSbError(empty, 400, 'invalid_create_user_request');
    const ok = await client.post('/v1/auth/users/create', { email: 'extra@example.com', session_type: 'x', whatever: { a: 1 } });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/application\/json/);
    // The Barong face keeps its own error dialect.
    expect((await t.agent().get('/api/v2/barong/nothing')).body).toEqual({ error: 'Route is not found' });
  });

  it('/v1 users are tenants of their app: never on the Barong face of the default tenant', async () => {
    const admin = await superadmin(t);
    const { client } = await createTenant(t, admin);
    const made = await client.post('/v1/auth/users/create', { email: 'tenant-user@example.com' });
    expect(made.status).toBe(200);
    const barong = await admin.get('/api/v2/barong/admin/users', { query: { email: 'tenant-user@example.com' } });
    expect(barong.status).toBe(200);
    expect(barong.body).toEqual([]);
    // The same e-mail can register on the Barong face of the default tenant.
    const reg = await t.agent().post('/api/v2/barong/identity/users', { email: 'tenant-user@example.com', password: 'Str0ng!Passw0rd#2026' });
    expect(reg.status).toBe(201);
    const again = await client.post('/v1/auth/users/create', { email: 'tenant-user@example.com' });
    expectSbError(again, 400, 'duplicate_email');
  });

  it('/docs/platform-json lists every endpoint of the list, with the secret-key scheme', async () => {
    const endpoints = readFileSync(join(ROOT, 'test', 'fixtures', 'streambird-endpoints.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [method, path] = l.split(/\s+/);
        return { method: method!.toLowerCase(), path: path!.replace(/:([A-Za-z_]+)/g, '{$1}') };
      });
    expect(endpoints).toHaveLength(43);
    const doc = (await t.agent().get('/docs/platform-json')).body;
    expect(doc.components.securitySchemes.secret_key).toMatchObject({ type: 'http', scheme: 'bearer' });
    const missing = endpoints.filter((e) => !doc.paths[e.path]?.[e.method]).map((e) => `${e.method} ${e.path}`);
    expect(missing).toEqual([]);
    const secret = endpoints.filter((e) => !e.path.includes('/jwks/') && !e.path.includes('/begin'));
    const unsecured = secret.filter((e) => !JSON.stringify(doc.paths[e.path][e.method].security ?? []).includes('secret_key')).map((e) => e.path);
    expect(unsecured).toEqual([]);
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/v1/'))).toBe(true);
  });
});
