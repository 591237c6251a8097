import { ApiKey } from '../../src/identity/api-keys/api-key.entity.js';
import { ServiceAccount } from '../../src/identity/api-keys/service-account.entity.js';
import { ServiceAccountsService } from '../../src/identity/api-keys/service-accounts.service.js';
import { LabelsService } from '../../src/identity/labels/labels.service.js';
import type { User } from '../../src/identity/users/user.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import type { Agent } from '../support/agent.js';
import { createUser, signIn } from '../support/factories.js';
import { apiKeyHeaders, codeFor, controlClock, enableOtp } from '../support/otp.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const SA = '/api/v2/barong/resource/service_accounts';
const SA_KEYS = `${SA}/api_keys`;
const GATEWAY = '/api/v2/auth';
/** Barong's service-account role in the seeded permissions. */
const SA_ROLE = 'sa_maker';

describe('resource/service_accounts', () => {
  let t: TestApp;
  let clock: ReturnType<typeof controlClock>;
  beforeAll(async () => {
    t = await createTestApp();
    clock = controlClock();
  });
  afterAll(async () => {
    clock.restore();
    await t.close();
  });

  interface Owner {
    user: User;
    a: Agent;
    code(): string;
  }

  const owner = async (withOtp = true): Promise<Owner> => {
    const user = await createUser(t, { emailVerified: true });
    const a = await signIn(t, t.agent(), user);
    const secret = withOtp ? (await enableOtp(a)).secret : '';
    const fresh = (await t.get(UsersService).findById(user.id))!;
    return {
      user: fresh,
      a,
      code: () => {
        clock.nextStep();
        return codeFor(secret);
      },
    };
  };
  const accounts = () => t.get(ServiceAccountsService);
  const saRow = (uid: string) => t.dataSource.getRepository(ServiceAccount).findOneByOrFail({ uid });
  const keyRow = (kid: string) => t.dataSource.getRepository(ApiKey).findOneByOrFail({ kid });
  const createSaKey = async (o: Owner, uid: string, scope?: string): Promise<{ kid: string; secret: string }> => {
    const res = await o.a.post(SA_KEYS, { service_account_uid: uid, algorithm: 'HS256', totp_code: o.code(), ...(scope ? { scope } : {}) });
    expect(res.status).toBe(201);
    return res.body;
  };
  const viaKey = (url: string, key: { kid: string; secret: string }, method = 'GET') =>
    t.agent().send(method, url, { headers: apiKeyHeaders(key.kid, key.secret) });

  describe('ServiceAccountsService.create', () => {
    it('creates an SI uid, the owner-derived e-mail, and copies level and state from the owner', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      expect(sa.uid).toMatch(/^SI[0-9A-F]{10}$/);
      const [local, domain] = o.user.email!.split('@');
      expect(sa.email).toBe(`${local}+${sa.uid.toLowerCase()}@${domain}`);
      expect(sa).toMatchObject({ ownerId: o.user.id, role: SA_ROLE, level: o.user.level, state: 'active' });
      const explicit = await accounts().create({ owner: o.user, role: SA_ROLE, email: 'Bot@Example.com', level: 3 });
      expect(explicit).toMatchObject({ email: 'bot@example.com', level: 3 });
    });

    it('refuses an unknown role and an e-mail that a user or service account has', async () => {
      const o = await owner(false);
      await expect(accounts().create({ owner: o.user, role: 'no_such_role' })).rejects.toMatchObject({ status: 422, codes: ['role.doesnt_exist'] });
      await expect(accounts().create({ owner: o.user, role: SA_ROLE, email: o.user.email! })).rejects.toMatchObject({
        status: 422,
        codes: ['email_or_uid.not_uniq'],
      });
      await accounts().create({ owner: o.user, role: SA_ROLE, email: 'dup-sa@example.com' });
      await expect(accounts().create({ owner: o.user, role: SA_ROLE, email: 'dup-sa@example.com' })).rejects.toMatchObject({ status: 422 });
    });
  });

  describe('GET', () => {
    it('lists the caller\'s service accounts with the owner as a User entity', async () => {
      const o = await owner(false);
      const other = await owner(false);
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      await accounts().create({ owner: other.user, role: SA_ROLE });
      const res = await o.a.get(SA);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        {
          email: sa.email,
          uid: sa.uid,
          role: SA_ROLE,
          level: sa.level,
          state: 'active',
          user: expect.objectContaining({ uid: o.user.uid, email: o.user.email }),
          created_at: expect.any(String),
          updated_at: expect.any(String),
        },
      ]);
    });
  });

  describe('api_keys', () => {
    it('creates, lists, updates and deletes a service account\'s keys', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const created = await o.a.post(SA_KEYS, { service_account_uid: sa.uid, algorithm: 'HS256', scope: 'trade', totp_code: o.code() });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ algorithm: 'HS256', scope: ['trade'], state: 'active', secret: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const { kid } = created.body;
      expect(await keyRow(kid)).toMatchObject({ serviceAccountId: sa.id, userId: null });
      const second = await createSaKey(o, sa.uid);

      const list = await o.a.get(SA_KEYS, { query: { service_account_uid: sa.uid } });
      expect(list.status).toBe(200);
      expect(list.body.map((k: ApiKey) => k.kid)).toEqual([kid, second.kid]);
      expect(list.body[0]).not.toHaveProperty('secret');
      expect(list.headers.total).toBe('2');
      const desc = await o.a.get(SA_KEYS, { query: { service_account_uid: sa.uid, ordering: 'desc' } });
      expect(desc.body.map((k: ApiKey) => k.kid)).toEqual([second.kid, kid]);
      // the owner's own key list does not include them
      expect((await o.a.get('/api/v2/barong/resource/api_keys')).body).toEqual([]);

      const updated = await o.a.put(`${SA_KEYS}/${kid}`, { service_account_uid: sa.uid, state: 'inactive', scope: 'read_only', totp_code: o.code() });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ kid, state: 'inactive', scope: ['read_only'] });
      expect(await keyRow(kid)).toMatchObject({ state: 'inactive', scope: ['read_only'] });

      const deleted = await o.a.delete(`${SA_KEYS}/${kid}`, undefined, { query: { service_account_uid: sa.uid, totp_code: o.code() } });
      expect(deleted.status).toBe(204);
      expect(await t.dataSource.getRepository(ApiKey).countBy({ kid })).toBe(0);
      const gone = await o.a.delete(`${SA_KEYS}/${kid}`, undefined, { query: { service_account_uid: sa.uid, totp_code: o.code() } });
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ errors: ['record.not_found'] });
    });

    it('answers 404 for an unknown service account or one the caller does not own', async () => {
      const o = await owner();
      const other = await owner(false);
      const theirs = await accounts().create({ owner: other.user, role: SA_ROLE });
      for (const uid of ['SI0000000000', theirs.uid]) {
        const list = await o.a.get(SA_KEYS, { query: { service_account_uid: uid } });
        expect(list.status).toBe(404);
        expect(list.body).toEqual({ errors: ['resource.service_account.doesnt_exist'] });
        const create = await o.a.post(SA_KEYS, { service_account_uid: uid, algorithm: 'HS256', totp_code: o.code() });
        expect(create.status).toBe(404);
        expect(create.body).toEqual({ errors: ['resource.service_account.doesnt_exist'] });
        const update = await o.a.put(`${SA_KEYS}/0000000000000000`, { service_account_uid: uid, state: 'inactive', totp_code: o.code() });
        expect(update.body).toEqual({ errors: ['resource.service_account.doesnt_exist'] });
        const del = await o.a.delete(`${SA_KEYS}/0000000000000000`, undefined, { query: { service_account_uid: uid, totp_code: o.code() } });
        expect(del.body).toEqual({ errors: ['resource.service_account.doesnt_exist'] });
      }
      expect(await t.dataSource.getRepository(ApiKey).countBy({ serviceAccountId: theirs.id })).toBe(0);
    });

    it('demands 2FA and a TOTP code with the service-account codes', async () => {
      const no2fa = await owner(false);
      const sa0 = await accounts().create({ owner: no2fa.user, role: SA_ROLE });
      const off = await no2fa.a.post(SA_KEYS, { service_account_uid: sa0.uid, algorithm: 'HS256', totp_code: '123456' });
      expect(off.status).toBe(400);
      expect(off.body).toEqual({ errors: ['resource.service_accounts.2fa_disabled'] });

      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const missing = await o.a.post(SA_KEYS, { service_account_uid: sa.uid, algorithm: 'HS256' });
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({ errors: ['resource.service_accounts.missing_totp'] });
      const invalid = await o.a.post(SA_KEYS, { service_account_uid: sa.uid, algorithm: 'HS256', totp_code: 'abcdef' });
      expect(invalid.status).toBe(422);
      expect(invalid.body).toEqual({ errors: ['resource.service_accounts.invalid_totp'] });
      const delMissing = await o.a.delete(`${SA_KEYS}/0000000000000000`, undefined, { query: { service_account_uid: sa.uid } });
      expect(delMissing.body).toEqual({ errors: ['resource.service_accounts.missing_totp'] });
      const putOff = await no2fa.a.put(`${SA_KEYS}/0000000000000000`, { service_account_uid: sa0.uid, totp_code: '1' });
      expect(putOff.body).toEqual({ errors: ['resource.service_accounts.2fa_disabled'] });
    });

    it('validates parameters', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      expect((await o.a.get(SA_KEYS)).body).toEqual({
        errors: ['resource.service_account.missing_service_account_uid', 'resource.service_account.empty_service_account_uid'],
      });
      expect((await o.a.get(SA_KEYS, { query: { service_account_uid: sa.uid, ordering: 'x' } })).body).toEqual({
        errors: ['resource.service_accounts.invalid_ordering'],
      });
      expect((await o.a.get(SA_KEYS, { query: { service_account_uid: sa.uid, order_by: 'x' } })).body).toEqual({
        errors: ['resource.service_accounts.invalid_attribute'],
      });
      const noUid = await o.a.post(SA_KEYS, { algorithm: 'HS256', totp_code: o.code() });
      expect(noUid.status).toBe(422);
      expect(noUid.body).toEqual({ errors: ['resource.service_account.missing_service_account_uid', 'resource.service_account.empty_service_account_uid'] });
      const badAlg = await o.a.post(SA_KEYS, { service_account_uid: sa.uid, algorithm: 'ES256', totp_code: o.code() });
      expect(badAlg.body).toEqual({ errors: ['kid.blank', 'algorithm.inclusion'] });
      const k = await createSaKey(o, sa.uid);
      expect((await o.a.put(`${SA_KEYS}/${k.kid}`, { service_account_uid: sa.uid, state: 'on', totp_code: o.code() })).body).toEqual({
        errors: ['state.inclusion'],
      });
    });
  });

  describe('HMAC with a service-account key', () => {
    it('authenticates as the service account at the gateway, with its role', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const key = await createSaKey(o, sa.uid);
      const res = await viaKey(`${GATEWAY}/api/v2/peatio/market/orders`, key);
      expect(res.status).toBe(200);
      const payload = JSON.parse(Buffer.from(res.headers.authorization!.split('.')[1]!, 'base64url').toString());
      expect(payload).toMatchObject({ uid: sa.uid, role: SA_ROLE });
      // sa_maker may not touch 2FA settings
      expect((await viaKey(`${GATEWAY}/api/v2/barong/resource/otp/enable`, key, 'POST')).status).toBe(401);
    });

    it('scopes limit a service-account key too', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const key = await createSaKey(o, sa.uid, 'read_trades');
      expect((await viaKey(`${GATEWAY}/api/v2/peatio/market/trades`, key)).status).toBe(200);
      const post = await viaKey(`${GATEWAY}/api/v2/peatio/market/orders`, key, 'POST');
      expect(post.status).toBe(401);
      expect(post.body).toEqual({ errors: ['authz.invalid_permission'] });
    });

    it('a disabled service account has its keys deactivated', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const key = await createSaKey(o, sa.uid);
      await accounts().update(sa.uid, { state: 'disabled' });
      expect((await keyRow(key.kid)).state).toBe('inactive');
      const res = await viaKey(`${GATEWAY}/api/v2/peatio/market/orders`, key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.apikey_not_active'] });
      // an update that does not set a state copies the owner's
      await accounts().update(sa.uid, { level: 2 });
      expect(await saRow(sa.uid)).toMatchObject({ state: 'active', level: 2 });
    });

    it('a service account that is not active/pending is refused even with an active key', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const key = await createSaKey(o, sa.uid);
      await t.dataSource.query(`UPDATE service_accounts SET state = 'locked' WHERE id = $1`, [sa.id]);
      const res = await viaKey(`${GATEWAY}/api/v2/peatio/market/orders`, key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.invalid_session'] });
    });
  });

  describe('owner changes (user-change hooks)', () => {
    it('an owner who is banned passes the state to its service accounts and their keys go inactive', async () => {
      const o = await owner();
      const sa1 = await accounts().create({ owner: o.user, role: SA_ROLE });
      const sa2 = await accounts().create({ owner: o.user, role: SA_ROLE });
      const k1 = await createSaKey(o, sa1.uid);
      const k2 = await createSaKey(o, sa2.uid);
      const own = await o.a.post('/api/v2/barong/resource/api_keys', { algorithm: 'HS256', totp_code: o.code() });
      await t.dataSource.transaction((tx) => t.get(LabelsService).setPrivate(tx, o.user.id, 'ban', 'fraud'));

      expect((await saRow(sa1.uid)).state).toBe('banned');
      expect((await saRow(sa2.uid)).state).toBe('banned');
      for (const kid of [k1.kid, k2.kid, own.body.kid]) expect((await keyRow(kid)).state).toBe('inactive');
      expect((await viaKey(`${GATEWAY}/api/v2/peatio/market/orders`, k1)).body).toEqual({ errors: ['authz.apikey_not_active'] });
    });

    it('an owner turning 2FA off deactivates the service accounts\' keys but leaves their state', async () => {
      const o = await owner();
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      const k = await createSaKey(o, sa.uid);
      await t.get(UsersService).update(o.user.id, { otp: false });
      expect((await keyRow(k.kid)).state).toBe('inactive');
      expect((await saRow(sa.uid)).state).toBe('active');
    });

    it('any update of a non-active owner copies its state to the service accounts', async () => {
      const o = await owner(false);
      const sa = await accounts().create({ owner: o.user, role: SA_ROLE });
      await t.dataSource.query(`UPDATE users SET state = 'locked' WHERE id = $1`, [o.user.id]);
      await t.get(UsersService).update(o.user.id, { data: '{"x":"y"}' });
      expect((await saRow(sa.uid)).state).toBe('locked');
    });
  });
});
