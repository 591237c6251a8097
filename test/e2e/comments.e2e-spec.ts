import { Activity } from '../../src/core/audit/activity.entity.js';
import { Comment } from '../../src/identity/comments/comment.entity.js';
import { UserPresenter } from '../../src/identity/users/user-presenter.js';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ADM = '/api/v2/barong/admin/users/comments';

describe('admin comments', () => {
  let t: TestApp;
  let admin: { agent: Agent; user: User };
  let superadmin: { agent: Agent; user: User };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await agentWithRole(t, 'admin');
    superadmin = await agentWithRole(t, 'superadmin');
  });
  afterAll(() => t.close());

  const commentsOf = (userId: string): Promise<Comment[]> => t.dataSource.getRepository(Comment).find({ where: { userId }, order: { createdAt: 'ASC' } });
  const actions = async (uid: string): Promise<string[]> =>
    (await t.dataSource.getRepository(Activity).find({ where: { targetUid: uid, category: 'admin' }, order: { createdAt: 'ASC' } })).map((a) => `${a.topic}:${a.action}`);

  it('creates, updates and deletes comments, answering with the user as UserWithKYC', async () => {
    const target = await createUser(t);
    const created = await admin.agent.post(ADM, { uid: target.uid, title: 'Call', data: 'Asked about withdrawal limits' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ uid: target.uid, email: target.email });
    expect(created.body.comments).toEqual([
      { id: expect.any(String), author_uid: admin.user.uid, title: 'Call', data: 'Asked about withdrawal limits', created_at: expect.any(String), updated_at: expect.any(String) },
    ]);
    const [row] = await commentsOf(target.id);
    expect(row).toMatchObject({ authorUid: admin.user.uid, title: 'Call', data: 'Asked about withdrawal limits' });

    const updated = await superadmin.agent.put(ADM, { id: row!.id, title: 'Phone call' });
    expect(updated.status).toBe(200);
    expect(updated.body.comments).toEqual([expect.objectContaining({ id: row!.id, title: 'Phone call', data: 'Asked about withdrawal limits', author_uid: admin.user.uid })]);
    const dataOnly = await superadmin.agent.send('PUT', ADM, { form: { id: row!.id, data: 'Resolved' } });
    expect(dataOnly.status).toBe(200);
    expect((await commentsOf(target.id))[0]).toMatchObject({ title: 'Phone call', data: 'Resolved' });

    // Comments never show in the user's own view.
    expect((await t.get(UserPresenter).fullInfo(target)).comments).toBeUndefined();

    const deleted = await admin.agent.delete(ADM, { id: row!.id });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ uid: target.uid, comments: [] });
    expect(await commentsOf(target.id)).toEqual([]);
    expect(await actions(target.uid)).toEqual(['users:create', 'users:update', 'users:update', 'users:delete']);
  });

  it('validates parameters and lengths', async () => {
    const target = await createUser(t);
    const missing = await admin.agent.post(ADM, {});
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      'admin.user.missing_uid',
      'admin.user.empty_uid',
      'admin.user.missing_title',
      'admin.user.empty_title',
      'admin.user.missing_data',
      'admin.user.empty_data',
    ]);
    const long = await admin.agent.post(ADM, { uid: target.uid, title: 't'.repeat(65), data: 'd'.repeat(65536) });
    expect(long.status).toBe(422);
    expect(long.body).toEqual({ errors: ['admin.comments.title_too_long', 'admin.comments.data_too_long'] });
    const edge = await admin.agent.post(ADM, { uid: target.uid, title: 't'.repeat(64), data: 'd'.repeat(65535) });
    expect(edge.status).toBe(201);
    const unknown = await admin.agent.post(ADM, { uid: 'ID0000000000', title: 'x', data: 'y' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ errors: ['admin.user.doesnt_exist'] });

    const [row] = await commentsOf(target.id);
    const tooLong = await admin.agent.put(ADM, { id: row!.id, title: 'x'.repeat(65) });
    expect(tooLong.body).toEqual({ errors: ['admin.comments.title_too_long'] });
    const noId = await admin.agent.put(ADM, { title: 'x' });
    expect(noId.body.errors).toEqual(['admin.user.missing_id', 'admin.user.empty_id']);
    const blank = await admin.agent.put(ADM, { id: row!.id, title: '' });
    expect(blank.body.errors).toEqual(['admin.user.empty_title']);
    for (const id of ['0196f0f0-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const put = await admin.agent.put(ADM, { id, title: 'x' });
      expect(put.status).toBe(404);
      expect(put.body).toEqual({ errors: ['admin.comment.doesnt_exist'] });
      const del = await admin.agent.send('DELETE', ADM, { query: { id } });
      expect(del.status).toBe(404);
      expect(del.body).toEqual({ errors: ['admin.comment.doesnt_exist'] });
    }
    const delNoId = await admin.agent.delete(ADM, {});
    expect(delNoId.body.errors).toEqual(['admin.user.missing_id', 'admin.user.empty_id']);
    expect((await commentsOf(target.id))[0]!.title).toBe('t'.repeat(64));
    expect(await actions(target.uid)).toEqual(['users:create']);
  });

  it('members cannot comment', async () => {
    const { agent } = await agentWithRole(t, 'member');
    const target = await createUser(t);
    const res = await agent.post(ADM, { uid: target.uid, title: 'x', data: 'y' });
    expect(res.status).toBe(401);
    expect(await commentsOf(target.id)).toEqual([]);
  });
});
