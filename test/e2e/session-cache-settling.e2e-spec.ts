import { afterCommit } from '../../src/core/database/after-commit.js';
import { SessionsService } from '../../src/identity/sessions/sessions.service.js';
import { createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const META = { ip: '10.0.0.7', userAgent: 'jest' };

describe('cached sessions and uncommitted revocations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a session read while its revocation is not yet committed is not served once it is', async () => {
    const sessions = t.get(SessionsService);
    const { token } = await sessions.open(await createUser(t), META);
    expect(await sessions.findLive(token)).toBeDefined();
    await t.dataSource.transaction(async (m) => {
      await sessions.revokeAll(m);
      // Another request reads it before the commit: the row is still live to everyone else.
      expect(await sessions.findLive(token)).toBeDefined();
    });
    expect(await sessions.findLive(token)).toBeUndefined();
  });

  it('the same for one session by id and for a user change', async () => {
    const sessions = t.get(SessionsService);
    const user = await createUser(t);
    const a = await sessions.open(user, META);
    await t.dataSource.transaction(async (m) => {
      await sessions.revokeById(a.session.id, m);
      expect(await sessions.findLive(a.token)).toBeDefined();
    });
    expect(await sessions.findLive(a.token)).toBeUndefined();

    const b = await sessions.open(user, META);
    expect(await sessions.findLive(b.token)).toBeDefined();
    await t.dataSource.transaction(async (m) => {
      await sessions.revokeAllForUser(user.id, undefined, m);
      expect(await sessions.findLive(b.token)).toBeDefined();
    });
    expect(await sessions.findLive(b.token)).toBeUndefined();
  });

  it('afterCommit runs after the outermost commit, at once outside a transaction, never after a rollback', async () => {
    const ran: string[] = [];
    afterCommit(t.dataSource.manager, () => ran.push('outside'));
    expect(ran).toEqual(['outside']);
    await t.dataSource.transaction(async (m) => {
      afterCommit(m, () => ran.push('outer'));
      await m.transaction(async (inner) => {
        afterCommit(inner, () => ran.push('inner'));
      });
      // The savepoint is released, the transaction is still open.
      expect(ran).toEqual(['outside']);
    });
    expect(ran).toEqual(['outside', 'outer', 'inner']);
    await t.dataSource
      .transaction(async (m) => {
        afterCommit(m, () => ran.push('rolled back'));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(ran).toEqual(['outside', 'outer', 'inner']);
  });
});
