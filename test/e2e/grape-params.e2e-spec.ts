import { User } from '../../src/identity/users/user.entity.js';
import { agentWithRole, createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

/** Grape reads every declared parameter from the query string or the body, whichever the client used. */
describe('Barong parameters from the query or the body', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('DELETE resource/users/me takes the password in the query', async () => {
    const user = await createUser(t);
    const a = await signIn(t, t.agent(), user);
    const wrong = await a.delete('/api/v2/barong/resource/users/me', undefined, { query: { password: 'Wr0ng!Password#1' } });
    expect([wrong.status, wrong.body]).toEqual([422, { errors: ['resource.user.invalid_password'] }]);
    const res = await a.delete('/api/v2/barong/resource/users/me', undefined, { query: { password: STRONG_PASSWORD } });
    expect(res.status).toBe(200);
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).state).toBe('deleted');
  });

  it('a login may send its fields in the query string, and the body wins where both name one', async () => {
    const user = await createUser(t);
    const viaQuery = await t.agent().post('/api/v2/barong/identity/sessions', undefined, { query: { email: user.email, password: STRONG_PASSWORD } });
    expect([viaQuery.status, viaQuery.body.uid]).toEqual([200, user.uid]);
    const both = await t.agent().post('/api/v2/barong/identity/sessions', { password: 'Wr0ng!Password#1' }, { query: { email: user.email, password: STRONG_PASSWORD } });
    expect(both.status).toBe(401);
  });

  it('an admin write documented with a body takes its parameters from the query', async () => {
    const target = await createUser(t);
    const { agent } = await agentWithRole(t, 'superadmin');
    const asBody = await agent.post('/api/v2/barong/admin/users/update', undefined, { query: { uid: target.uid, state: 'banned' } });
    expect([asBody.status, asBody.body.state]).toEqual([200, 'banned']);
  });
});
