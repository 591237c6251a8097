import { Activity } from '../../src/core/audit/activity.entity.js';
import { DataStorage } from '../../src/identity/data-storage/data-storage.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { UserPresenter } from '../../src/identity/users/user-presenter.js';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const RES = '/api/v2/barong/resource/data_storage';
const ADM = '/api/v2/barong/admin/users/data_storage';

describe('data storage', () => {
  let t: TestApp;
  let admin: { agent: Agent; user: User };

  beforeAll(async () => {
    t = await createTestApp({ BARONG_USER_STORAGE_TITLES: 'personal,address_proof,profile,Mixed' });
    admin = await agentWithRole(t, 'admin');
  });
  afterAll(() => t.close());

  const rowsOf = (userId: string): Promise<DataStorage[]> => t.dataSource.getRepository(DataStorage).find({ where: { userId }, order: { createdAt: 'ASC' } });
  const privateLabels = async (userId: string): Promise<string[]> =>
    (await t.dataSource.getRepository(Label).find({ where: { userId, scope: 'private' }, order: { createdAt: 'ASC' } })).map((l) => `${l.key}:${l.value}`);

  it('stores a record, labels <title>:recorded, 201, and shows it in the user view', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    const res = await agent.post(RES, { title: 'personal', data: '{"nationality":"UA","tax_id":"123"}' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ title: 'personal', data: '{"nationality":"UA","tax_id":"123"}', created_at: expect.any(String), updated_at: expect.any(String) });
    expect(await rowsOf(user.id)).toEqual([expect.objectContaining({ title: 'personal', data: '{"nationality":"UA","tax_id":"123"}' })]);
    expect(await privateLabels(user.id)).toEqual(['personal:recorded']);

    const form = await agent.send('POST', RES, { form: { title: 'address_proof', data: '{"street":"Main"}' } });
    expect(form.status).toBe(201);
    expect(await privateLabels(user.id)).toEqual(['personal:recorded', 'address_proof:recorded']);

    const full = await t.get(UserPresenter).fullInfo(user);
    expect(full.data_storages).toEqual([
      expect.objectContaining({ title: 'personal', data: '{"nationality":"UA","tax_id":"123"}' }),
      expect.objectContaining({ title: 'address_proof' }),
    ]);
  });

  it('refuses unconfigured, reserved and taken titles and bad data', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    const missing = await agent.post(RES, {});
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      'resource.datastorage.missing_title',
      'resource.datastorage.empty_title',
      'resource.datastorage.missing_data',
      'resource.datastorage.empty_data',
    ]);
    const empty = await agent.post(RES, { title: '', data: '' });
    expect(empty.body.errors).toEqual(['resource.datastorage.empty_title', 'resource.datastorage.empty_data']);
    const notConfigured = await agent.post(RES, { title: 'secrets', data: '{}' });
    expect(notConfigured.status).toBe(422);
    expect(notConfigured.body).toEqual({ errors: ['title.inclusion'] });
    const reserved = await agent.post(RES, { title: 'profile', data: '{}' });
    expect(reserved.body).toEqual({ errors: ['title.exclusion'] });
    const notJson = await agent.post(RES, { title: 'personal', data: 'plain words' });
    expect(notJson.body).toEqual({ errors: ['data.invalid_format'] });
    const tooLong = await agent.post(RES, { title: 'personal', data: JSON.stringify({ x: 'a'.repeat(5120) }) });
    expect(tooLong.body).toEqual({ errors: ['data.too_long'] });
    expect(await rowsOf(user.id)).toEqual([]);

    expect((await agent.post(RES, { title: 'Mixed', data: '{"a":1}' })).status).toBe(201);
    const taken = await agent.post(RES, { title: 'Mixed', data: '{"a":2}' });
    expect(taken.status).toBe(422);
    expect(taken.body).toEqual({ errors: ['title.taken'] });
    expect((await rowsOf(user.id)).map((r) => r.data)).toEqual(['{"a":1}']);
    // The label key is lower-cased as every label key is.
    expect(await privateLabels(user.id)).toEqual(['mixed:recorded']);
  });

  it('every title is refused when none are configured', async () => {
    const bare = await createTestApp();
    try {
      const { agent } = await agentWithRole(bare, 'member');
      const res = await agent.post(RES, { title: 'personal', data: '{}' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['title.inclusion'] });
    } finally {
      await bare.close();
    }
  });

  it('admin deletes a record (the label stays) and gets the user back as UserWithKYC', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    await agent.post(RES, { title: 'personal', data: '{"a":1}' });
    const res = await admin.agent.send('DELETE', ADM, { query: { uid: user.uid, title: 'personal' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uid: user.uid, email: user.email, data_storages: [], labels: [expect.objectContaining({ key: 'personal', value: 'recorded', description: null })] });
    for (const section of ['profiles', 'phones', 'documents', 'comments', 'created_at', 'updated_at']) expect(res.body).toHaveProperty(section);
    expect(await rowsOf(user.id)).toEqual([]);
    expect(await privateLabels(user.id)).toEqual(['personal:recorded']);
    const acts = await t.dataSource.getRepository(Activity).find({ where: { targetUid: user.uid, category: 'admin' } });
    expect(acts).toEqual([expect.objectContaining({ userId: admin.user.id, topic: 'users', action: 'delete', result: 'succeed' })]);

    const gone = await admin.agent.delete(ADM, { uid: user.uid, title: 'personal' });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ errors: ['admin.storage.doesnt_exist'] });
    const unknown = await admin.agent.delete(ADM, { uid: 'ID0000000000', title: 'personal' });
    expect(unknown.body).toEqual({ errors: ['admin.user.doesnt_exist'] });
    const missing = await admin.agent.delete(ADM, {});
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual(['admin.user.missing_uid', 'admin.user.empty_uid', 'admin.user.missing_title', 'admin.user.empty_title']);
  });

  it('members cannot use the admin route', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    await agent.post(RES, { title: 'personal', data: '{"a":1}' });
    const res = await agent.delete(ADM, { uid: user.uid, title: 'personal' });
    expect(res.status).toBe(401);
    expect(await rowsOf(user.id)).toHaveLength(1);
  });
});
