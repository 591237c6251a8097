import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';
import { DEFAULT_APP_ID } from '../../src/identity/tenants/app.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import { addClient, createNetwork, lastCode, nget, npost } from '../support/network.js';
import { LocalRedis } from './local-redis.js';

const ME = '/api/v2/barong/resource/users/me';
const LOGIN = '/api/v2/barong/identity/sessions';

/** Polls `probe` until it is true; returns how long that took, or fails after `limitMs`. */
async function inForceWithin(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`not in force after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('two instances on one database', () => {
  const redis = new LocalRedis(6390 + ((process.pid + 25) % 50));
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    await redis.start();
    a = await createTestApp({ REDIS_URL: redis.url, BARONG_LOGIN_MAX_FAILURES_PER_EMAIL: '4' });
    b = await createTestApp({ REDIS_URL: redis.url, BARONG_LOGIN_MAX_FAILURES_PER_EMAIL: '4' }, { databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await redis.stop();
  });

  /** The same browser (cookie, CSRF token, address) talking to instance B. */
  const onB = (agent: Agent): Agent => {
    const twin = b.agent({ ip: agent.ip, userAgent: agent.userAgent });
    for (const [k, v] of agent.cookies) twin.cookies.set(k, v);
    twin.csrfToken = agent.csrfToken;
    return twin;
  };

  it('a permission DROP made through A is in force on B within 1 s', async () => {
    const { agent: admin } = await agentWithRole(t(), 'superadmin');
    const { agent: member } = await agentWithRole(t(), 'member');
    const memberOnB = onB(member);
    expect((await memberOnB.get(ME)).status).toBe(200);
    const rule = await admin.post('/api/v2/barong/admin/permissions', { role: 'member', verb: 'get', path: 'api/v2/barong/resource/users/me', action: 'drop' });
    expect(rule.status).toBe(200);
    const took = await inForceWithin(1000, async () => (await memberOnB.get(ME)).status === 401);
    expect((await memberOnB.get(ME)).body).toEqual({ errors: ['authz.invalid_permission'] });
    expect(took).toBeLessThan(1000);
    expect((await admin.delete('/api/v2/barong/admin/permissions', { id: rule.body.id })).status).toBe(200);
    await inForceWithin(1000, async () => (await memberOnB.get(ME)).status === 200);
  });

  it('a restriction made through A is in force on B within 1 s', async () => {
    const { agent: admin } = await agentWithRole(t(), 'superadmin');
    const { agent: member } = await agentWithRole(t(), 'member');
    const memberOnB = onB(member);
    expect((await memberOnB.get(ME)).status).toBe(200);
    const rule = await admin.post('/api/v2/barong/admin/restrictions', { category: 'blacklist', scope: 'ip', value: member.ip });
    expect(rule.status).toBe(200);
    await inForceWithin(1000, async () => (await memberOnB.get(ME)).status === 401);
    expect((await memberOnB.get(ME)).body).toEqual({ errors: ['authz.restrict.blacklist'] });
  });

  it('a logout through A ends the session on B within 1 s', async () => {
    const user = await createUser(t());
    const member = await signIn(t(), a.agent(), user);
    const memberOnB = onB(member);
    expect((await memberOnB.get(ME)).status).toBe(200);
    expect((await member.delete(LOGIN)).status).toBe(200);
    await inForceWithin(1000, async () => (await memberOnB.get(ME)).status === 401);
  });

  it('a ban made through A is in force on B within 1 s', async () => {
    const { agent: admin } = await agentWithRole(t(), 'superadmin');
    const user = await createUser(t());
    const memberOnB = onB(await signIn(t(), a.agent(), user));
    expect((await memberOnB.get(ME)).status).toBe(200);
    expect((await admin.post('/api/v2/barong/admin/users/update', { uid: user.uid, state: 'banned' })).status).toBe(200);
    await inForceWithin(1000, async () => (await memberOnB.get(ME)).status === 401);
    expect((await b.agent().post(LOGIN, { email: user.email, password: STRONG_PASSWORD })).body).toEqual({ errors: ['identity.session.banned'] });
  });

  it("a label added through A shows in the user's own view on B within 1 s", async () => {
    const { agent: admin } = await agentWithRole(t(), 'superadmin');
    const user = await createUser(t());
    const memberOnB = onB(await signIn(t(), a.agent(), user));
    expect((await memberOnB.get(ME)).body.labels).toEqual([]);
    expect((await admin.post('/api/v2/barong/admin/users/labels', { uid: user.uid, key: 'tier', value: 'gold', scope: 'public' })).status).toBe(200);
    await inForceWithin(1000, async () => ((await memberOnB.get(ME)).body.labels as { key: string }[]).some((l) => l.key === 'tier'));
  });

  it('a ban made through A ends the network JWTs on B within 1 s', async () => {
    const n = await createNetwork(a);
    const client = await addClient(n.agent, n.jwt);
    expect((await nget(b.agent(), '/network/clients', n.jwt)).status).toBe(200);
    expect((await nget(b.agent(), '/network/clients', client.jwt)).status).toBe(200);
    const owner = await a.get(UsersService).findByEmail(n.email, DEFAULT_APP_ID);
    await a.get(UsersService).update(owner!.id, { state: 'banned' });
    await inForceWithin(1000, async () => (await nget(b.agent(), '/network/clients', n.jwt)).status === 401);
    await inForceWithin(1000, async () => (await nget(b.agent(), '/network/clients', client.jwt)).status === 401);
  });

  it('a network client removed through A is refused on B within 1 s', async () => {
    const n = await createNetwork(a);
    const client = await addClient(n.agent, n.jwt);
    const kept = await addClient(n.agent, n.jwt);
    expect((await nget(b.agent(), '/network/clients', client.jwt)).status).toBe(200);
    expect((await npost(n.agent, '/network/remove-client', { client_id: client.clientId }, n.jwt)).body).toEqual({});
    await inForceWithin(1000, async () => (await nget(b.agent(), '/network/clients', client.jwt)).status === 401);
    expect((await nget(b.agent(), '/network/clients', kept.jwt)).status).toBe(200);
  });

  it("a password set through A ends the network's other sessions on B within 1 s", async () => {
    const n = await createNetwork(a);
    expect((await nget(b.agent(), '/network/clients', n.jwt)).status).toBe(200);
    expect((await npost(a.agent(), '/auth/password-reset', { user_auth: n.email })).body).toEqual({ user_auth: n.email });
    const code = await lastCode(a, n.email);
    expect((await npost(a.agent(), '/auth/password-set', { reset_code: code, password: 'another-passw0rd-2026' })).body).toEqual({});
    await inForceWithin(1000, async () => (await nget(b.agent(), '/network/clients', n.jwt)).status === 401);
  });

  it('login failures are counted across both instances through Redis', async () => {
    const user = await createUser(t());
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const instance = i % 2 === 0 ? a : b;
      // One client IP on both instances: the short lock counts per account and IP.
      statuses.push((await instance.agent({ ip: '10.77.0.1' }).post(LOGIN, { email: user.email, password: 'Wrong!Passw0rd#3' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  const t = (): TestApp => a;
});
