import { App, DEFAULT_APP_ID } from '../../src/identity/tenants/app.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import { agentWithRole, createUser, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

/** Tenancy by construction: the Barong face serves its own tenant, and nothing of another app shows. */
describe('tenant isolation on the Barong face', () => {
  let t: TestApp;
  let otherApp: string;
  beforeAll(async () => {
    t = await createTestApp();
    otherApp = (await t.dataSource.getRepository(App).save({ slug: 'other-tenant', name: 'Other tenant' })).id;
  });
  afterAll(() => t.close());

  it('the same e-mail can live in two tenants, and each sign-in reaches its own tenant only', async () => {
    const email = 'shared@example.com';
    const foreign = await createUser(t, { email, appId: otherApp, password: 'An0ther!Passw0rd#99' });
    const own = await createUser(t, { email });
    expect(foreign.id).not.toBe(own.id);

    // The other tenant's password does not open the Barong account of the same address.
    const wrong = await t.agent().post('/api/v2/barong/identity/sessions', { email, password: 'An0ther!Passw0rd#99' });
    expect(wrong.status).toBe(401);
    const right = await t.agent().post('/api/v2/barong/identity/sessions', { email, password: STRONG_PASSWORD });
    expect([right.status, right.body.uid]).toEqual([200, own.uid]);
  });

  it('admins see and change users of their own tenant only', async () => {
    const foreign = await createUser(t, { appId: otherApp });
    const { agent } = await agentWithRole(t, 'superadmin');
    const list = await agent.get('/api/v2/barong/admin/users', { query: { email: foreign.email } });
    expect([list.status, list.body]).toEqual([200, []]);
    const get = await agent.get(`/api/v2/barong/admin/users/${foreign.uid}`);
    expect([get.status, get.body]).toEqual([404, { errors: ['admin.user.doesnt_exist'] }]);
    const ban = await agent.post('/api/v2/barong/admin/users/update', { uid: foreign.uid, state: 'banned' });
    expect([ban.status, ban.body]).toEqual([404, { errors: ['admin.user.doesnt_exist'] }]);
    const label = await agent.post('/api/v2/barong/admin/users/labels', { uid: foreign.uid, key: 'ban', value: 'true', scope: 'private' });
    expect([label.status, label.body]).toEqual([404, { errors: ['admin.user.doesnt_exist'] }]);
    expect((await t.get(UsersService).findById(foreign.id))?.state).toBe('active');
  });

  it('look-ups by uid or e-mail need the tenant', async () => {
    const foreign = await createUser(t, { appId: otherApp });
    const users = t.get(UsersService);
    expect(await users.findByUid(foreign.uid, DEFAULT_APP_ID)).toBeNull();
    expect(await users.findByEmail(foreign.email, DEFAULT_APP_ID)).toBeNull();
    expect((await users.findByUid(foreign.uid, otherApp))?.id).toBe(foreign.id);
  });
});
