import { User } from '../../src/identity/users/user.entity.js';
import { PasswordHasher } from '../../src/core/crypto/password-hasher.js';
import { cloneDatabase, createTestApp } from '../support/test-app.js';

describe('first start', () => {
  it('creates the superadmin from ADMIN_EMAIL/ADMIN_PASSWORD once; later starts change nothing', async () => {
    const db = await cloneDatabase();
    try {
      const first = await createTestApp({ ADMIN_EMAIL: 'Root@Example.com', ADMIN_PASSWORD: 'R00t!Password#Long' }, { databaseUrl: db.url });
      const admins = await first.dataSource.getRepository(User).findBy({ role: 'superadmin' });
      expect(admins).toHaveLength(1);
      expect(admins[0]).toMatchObject({ email: 'root@example.com', state: 'active' });
      const login = await first.agent().post('/api/v2/barong/identity/sessions', { email: 'root@example.com', password: 'R00t!Password#Long' });
      expect(login.status).toBe(200);
      expect(login.body.role).toBe('superadmin');
      const digest = (await first.dataSource.query(`SELECT password_digest FROM users WHERE role = 'superadmin'`))[0].password_digest;
      await first.app.close();

      const second = await createTestApp({ ADMIN_EMAIL: 'other@example.com', ADMIN_PASSWORD: 'Other!Password#123' }, { databaseUrl: db.url });
      const again = await second.dataSource.getRepository(User).findBy({ role: 'superadmin' });
      expect(again.map((u) => u.email)).toEqual(['root@example.com']);
      expect((await second.dataSource.query(`SELECT password_digest FROM users WHERE role = 'superadmin'`))[0].password_digest).toBe(digest);
      await second.app.close();
    } finally {
      await db.drop();
    }
  });

  it('without ADMIN_PASSWORD generates a strong random one (never stored in the clear)', async () => {
    const db = await cloneDatabase();
    try {
      const t = await createTestApp({ ADMIN_EMAIL: 'gen@example.com', ADMIN_PASSWORD: '' }, { databaseUrl: db.url });
      const [row] = await t.dataSource.query(`SELECT password_digest FROM users WHERE email = 'gen@example.com'`);
      expect(row.password_digest).toMatch(/^\$argon2id\$/);
      expect(await t.get(PasswordHasher).verify(row.password_digest, 'Adm1n!Passw0rd#Long')).toBe(false);
      await t.app.close();
    } finally {
      await db.drop();
    }
  });
});
