import { PlatformWebauthnCredential } from '../../src/platform/users/user.entity.js';
import { fromPublicId } from '../../src/core/database/public-id.js';
import { uuidv7 } from '../../src/core/database/uuid.js';
import { createTenant, expectSbError, PlatformClient, superadmin } from '../support/platform.js';
import { createTestApp, TestApp } from '../support/test-app.js';

describe('platform face: users and search', () => {
  let t: TestApp;
  let a: PlatformClient;
  let b: PlatformClient;
  let appA: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await superadmin(t);
    const one = await createTenant(t, admin, 'App A');
    a = one.client;
    appA = one.app.app_id;
    b = (await createTenant(t, admin, 'App B')).client;
  });
  afterAll(() => t?.close());

  it('users/create: email and/or phone, names, status, a default custodial wallet, include_user', async () => {
    const res = await a.post('/v1/auth/users/create', { email: ' Jane@Example.com ', phone_number: '+14155550101', first_name: 'Jane', last_name: 'Doe', include_user: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: expect.stringMatching(/^user_/), status: 'active', email_id: expect.stringMatching(/^email_/), phone_number_id: expect.stringMatching(/^pn_/) });
    const user = res.body.user;
    expect(user).toMatchObject({ user_id: res.body.user_id, app_id: appA, first_name: 'Jane', middle_name: '', last_name: 'Doe', status: 'active', active: true, totps: [], idp_providers: [], webauthn_credentials: [] });
    expect(user.emails).toEqual([{ id: res.body.email_id, email: 'jane@example.com', verified: false, created_at: expect.any(Number), updated_at: expect.any(Number) }]);
    expect(user.phone_numbers[0]).toMatchObject({ id: res.body.phone_number_id, phone_number: '+14155550101', verified: false });
    expect(user.wallets).toHaveLength(1);
    expect(user.wallets[0]).toMatchObject({ wallet_type: 'ETH', is_default: true, is_read_only: false, is_imported: false, verified: true, public_address: expect.stringMatching(/^0x[0-9a-f]{40}$/) });
    const key = await t.dataSource.query('SELECT private_key_sealed FROM platform_wallets WHERE user_id = $1', [fromPublicId('user', res.body.user_id)]);
    expect(key[0].private_key_sealed).toMatch(/^v1\./);

    const pending = await a.post('/v1/auth/users/create', { phone_number: '+14155550102', requires_verification: true, wallet_type: 'solana' });
    expect(pending.body).toMatchObject({ status: 'pending', email_id: '' });
    const got = await a.get(`/v1/auth/users/${pending.body.user_id}`);
    expect(got.body).toMatchObject({ status: 'pending', active: false });
    expect(got.body.wallets[0].wallet_type).toBe('SOL');
  });

  it('users/create errors: nothing given, bad email/phone/wallet type, duplicates per app only', async () => {
    expectSbError(await a.post('/v1/auth/users/create', {}), 400, 'invalid_create_user_request');
    expectSbError(await a.post('/v1/auth/users/create', { email: 'not-an-email' }), 400, 'invalid_email');
    expectSbError(await a.post('/v1/auth/users/create', { email: 42 }), 400);
    expectSbError(await a.post('/v1/auth/users/create', { phone_number: '4155550100' }), 400, 'invalid_phone_number');
    expectSbError(await a.post('/v1/auth/users/create', { phone_number: '+1415' }), 400, 'invalid_phone_number');
    expectSbError(await a.post('/v1/auth/users/create', { email: 'w@example.com', wallet_type: 'DOGE' }), 400, 'invalid_wallet_type');
    expect((await a.post('/v1/auth/users/create', { email: 'dup@example.com', phone_number: '+14155550103' })).status).toBe(200);
    expectSbError(await a.post('/v1/auth/users/create', { email: 'DUP@example.com' }), 400, 'duplicate_email');
    expectSbError(await a.post('/v1/auth/users/create', { phone_number: '+14155550103' }), 400, 'duplicate_phone_number');
    // Another app may use the same identifiers.
    expect((await b.post('/v1/auth/users/create', { email: 'dup@example.com', phone_number: '+14155550103' })).status).toBe(200);
  });

  it('get, update (names, attach identifiers), tenant isolation as 404', async () => {
    const { body } = await a.post('/v1/auth/users/create', { email: 'upd@example.com' });
    expectSbError(await a.get('/v1/auth/users/user_0000000000000000000000'), 404, 'user_not_found');
    expectSbError(await a.get('/v1/auth/users/nonsense'), 400, 'invalid_user_id');
    expectSbError(await b.get(`/v1/auth/users/${body.user_id}`), 404, 'user_not_found');
    expectSbError(await b.put(`/v1/auth/users/${body.user_id}/update`, { first_name: 'X' }), 404, 'user_not_found');
    expectSbError(await b.delete(`/v1/auth/users/${body.user_id}/delete`), 404, 'user_not_found');

    const upd = await a.put(`/v1/auth/users/${body.user_id}/update`, {
      first_name: 'Ann',
      middle_name: '',
      emails: [{ email: 'second@example.com' }, { email: 'upd@example.com' }],
      phone_numbers: [{ phone_number: '+14155550104' }],
    });
    expect(upd.status).toBe(200);
    expect(upd.body.emails.map((e: { email: string }) => e.email)).toEqual(['second@example.com', 'upd@example.com']);
    expect(upd.body.phone_numbers).toHaveLength(1);
    expect(upd.body.user).toMatchObject({ first_name: 'Ann' });
    expect(upd.body.user.emails).toHaveLength(2);
    // The Ruby SDK always sends empty arrays.
    expect((await a.put(`/v1/auth/users/${body.user_id}/update`, { emails: [], phone_numbers: [] })).status).toBe(200);
    expectSbError(await a.put(`/v1/auth/users/${body.user_id}/update`, { emails: [{ email: 'dup@example.com' }] }), 400, 'duplicate_email');
    expectSbError(await a.put(`/v1/auth/users/${body.user_id}/update`, { emails: 'x' }), 400, 'bad_request');
    expectSbError(await a.put(`/v1/auth/users/${body.user_id}/update`, { phone_numbers: [{ phone_number: 'abc' }] }), 400, 'invalid_phone_number');
  });

  it('deletes a user, an e-mail, a phone number (both paths) and a WebAuthn credential; identifiers can be used again', async () => {
    const made = await a.post('/v1/auth/users/create', { email: 'del@example.com', phone_number: '+14155550105', include_user: true });
    const userId = made.body.user_id;
    const internal = fromPublicId('user', userId)!;
    const cred = await t.dataSource.getRepository(PlatformWebauthnCredential).save({ id: uuidv7(), appId: fromPublicId('app', appA)!, userId: internal, credentialId: 'abc', publicKey: 'pk' });
    const credId = (await a.get(`/v1/auth/users/${userId}`)).body.webauthn_credentials[0].id;
    expect(credId).toMatch(/^webauthn_/);
    expectSbError(await b.delete(`/v1/auth/users/webauthn_credentials/${credId}/delete`), 404, 'webauthn_credential_not_found');
    expect((await a.delete(`/v1/auth/users/webauthn_credentials/${credId}/delete`)).body).toEqual({ message: 'Successfully deleted user WebAuthn credential', user_id: userId });
    expect(cred.id).toBeDefined();

    expectSbError(await b.delete(`/v1/auth/users/emails/${made.body.email_id}/delete`), 404, 'email_not_found');
    expect((await a.delete(`/v1/auth/users/emails/${made.body.email_id}/delete`)).body).toEqual({ message: 'Successfully deleted user email', user_id: userId });
    expectSbError(await a.delete(`/v1/auth/users/emails/${made.body.email_id}/delete`), 404, 'email_not_found');
    const second = await a.put(`/v1/auth/users/${userId}/update`, { phone_numbers: [{ phone_number: '+14155550106' }] });
    expect((await a.delete(`/v1/auth/users/phone_number/${made.body.phone_number_id}/delete`)).body).toEqual({ message: 'Successfully deleted user phone number', user_id: userId });
    expect((await a.delete(`/v1/auth/users/phone_numbers/${second.body.phone_numbers[0].id}/delete`)).body.user_id).toBe(userId);
    expectSbError(await a.delete(`/v1/auth/users/phone_number/${made.body.phone_number_id}/delete`), 404, 'phone_number_not_found');
    expect((await a.post('/v1/auth/users/create', { email: 'del@example.com' })).status).toBe(200);

    expect((await a.delete(`/v1/auth/users/${userId}/delete`)).body).toEqual({ message: 'Successfully deleted user', user_id: userId });
    expectSbError(await a.get(`/v1/auth/users/${userId}`), 404, 'user_not_found');
    expectSbError(await a.delete(`/v1/auth/users/${userId}/delete`), 404, 'user_not_found');
    const wallets = await t.dataSource.query('SELECT count(*)::int AS n FROM platform_wallets WHERE user_id = $1', [internal]);
    expect(wallets[0].n).toBe(0);
  });

  describe('users/search', () => {
    let ids: string[];
    beforeAll(async () => {
      ids = [];
      for (let i = 0; i < 25; i++) {
        const res = await b.post('/v1/auth/users/create', {
          email: `search${i}@corp${i % 2}.example.com`,
          phone_number: `+1415556${String(1000 + i)}`,
          first_name: i === 3 ? 'Zelda' : 'Sam',
          last_name: 'Search',
          requires_verification: i % 5 === 0,
        });
        ids.push(res.body.user_id);
      }
    });

    it('no filters: every user of the app, 50 by default, ascending ids, total_count', async () => {
      const res = await b.post('/v1/auth/users/search', {});
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBe(res.body.users.length);
      const got = res.body.users.map((u: { user_id: string }) => u.user_id);
      expect(got).toEqual([...got].sort());
      expect(ids.every((id) => got.includes(id))).toBe(true);
      expect(res.body.has_more).toBe(false);
    });

    it('pages with limit and starting_after; has_more; total_count ignores paging', async () => {
      const filters = { operator: 'AND', fields: [{ field: 'email_match', operator: 'eq', value: 'search' }] };
      const p1 = await b.post('/v1/auth/users/search', { limit: 10, filters });
      expect(p1.body.users).toHaveLength(10);
      expect(p1.body).toMatchObject({ total_count: 25, has_more: true });
      const last = p1.body.users[9].user_id;
      const p3 = await b.post('/v1/auth/users/search', { limit: 10, filters, starting_after: (await b.post('/v1/auth/users/search', { limit: '10', filters, starting_after: last })).body.users[9].user_id });
      expect(p3.body.users).toHaveLength(5);
      expect(p3.body).toMatchObject({ total_count: 25, has_more: false });
      expect(p3.body.users.map((u: { user_id: string }) => u.user_id)).toEqual(ids.slice(20));
    });

    it('fields and operators: eq, in, between, lt, gt; AND and OR', async () => {
      const search = async (filters: unknown) => (await b.post('/v1/auth/users/search', { filters, limit: 100 })).body;
      expect((await search({ operator: 'AND', fields: [{ field: 'email', operator: 'eq', value: 'SEARCH7@corp1.example.com' }] })).users.map((u: { user_id: string }) => u.user_id)).toEqual([ids[7]]);
      expect((await search({ operator: 'AND', fields: [{ field: 'status', operator: 'eq', value: 'pending' }, { field: 'email_match', operator: 'eq', value: 'corp0' }] })).total_count).toBe(3);
      // Status alone and no filters are answered from the per-app counters: they follow deletes and activations.
      const pending = await search({ operator: 'OR', fields: [{ field: 'status', operator: 'in', values: ['pending'] }] });
      expect(pending.total_count).toBe(pending.users.length);
      const before = (await b.post('/v1/auth/users/search', {})).body.total_count;
      const extra = await b.post('/v1/auth/users/create', { email: 'counted@example.com', requires_verification: true });
      expect((await search({ operator: 'AND', fields: [{ field: 'status', operator: 'eq', value: 'pending' }] })).total_count).toBe(pending.total_count + 1);
      await b.delete(`/v1/auth/users/${extra.body.user_id}/delete`);
      expect((await b.post('/v1/auth/users/search', {})).body.total_count).toBe(before);
      expect((await search({ operator: 'AND', fields: [{ field: 'status', operator: 'eq', value: 'pending' }] })).total_count).toBe(pending.total_count);
      expect((await search({ operator: 'OR', fields: [{ field: 'user_id', operator: 'in', values: [ids[1], ids[2]] }, { field: 'phone_number', operator: 'eq', value: '+14155561010' }] })).total_count).toBe(3);
      expect((await search({ operator: 'AND', fields: [{ field: 'phone_number_match', operator: 'eq', value: '556102' }] })).total_count).toBe(5);
      expect((await search({ operator: 'AND', fields: [{ field: 'full_name_match', operator: 'eq', value: 'zelda sea' }] })).users[0].user_id).toBe(ids[3]);
      expect((await search({ operator: 'AND', fields: [{ field: 'email_verified', operator: 'eq', value: false }, { field: 'email_match', operator: 'eq', value: 'search' }] })).total_count).toBe(25);
      const now = Math.floor(Date.now() / 1000);
      expect((await search({ operator: 'AND', fields: [{ field: 'created_at', operator: 'between', value: now - 3600, second_value: now + 5 }, { field: 'email_match', operator: 'eq', value: 'search' }] })).total_count).toBe(25);
      expect((await search({ operator: 'AND', fields: [{ field: 'created_at', operator: 'gt', value: now + 3600 }] })).total_count).toBe(0);
      expect((await search({ operator: 'AND', fields: [{ field: 'user_id', operator: 'lt', value: ids[2] }, { field: 'email_match', operator: 'eq', value: 'search' }] })).total_count).toBe(2);
      const wallet = (await b.get(`/v1/auth/users/${ids[4]}`)).body.wallets[0];
      expect((await search({ operator: 'AND', fields: [{ field: 'wallet_public_address', operator: 'eq', value: wallet.public_address.toUpperCase().replace('0X', '0x') }] })).users[0].user_id).toBe(ids[4]);
      // Another app's users are never matched.
      expect((await a.post('/v1/auth/users/search', { filters: { operator: 'AND', fields: [{ field: 'email_match', operator: 'eq', value: 'search' }] } })).body.total_count).toBe(0);
    });

    it('bad parameters are 400s: limit, cursor, filters', async () => {
      expectSbError(await b.post('/v1/auth/users/search', { limit: 9 }), 400, 'invalid_limit');
      expectSbError(await b.post('/v1/auth/users/search', { limit: 101 }), 400, 'invalid_limit');
      expectSbError(await b.post('/v1/auth/users/search', { limit: 'many' }), 400, 'invalid_limit');
      expectSbError(await b.post('/v1/auth/users/search', { starting_after: 'email_x' }), 400, 'invalid_cursor');
      for (const filters of [
        'x',
        { fields: [{ field: 'status', operator: 'eq', value: 'active' }] },
        { operator: 'AND', fields: [] },
        { operator: 'AND', fields: [{ field: 'shoe_size', operator: 'eq', value: 1 }] },
        { operator: 'AND', fields: [{ field: 'status', operator: 'like', value: 'a' }] },
        { operator: 'AND', fields: [{ field: 'status', operator: 'in' }] },
        { operator: 'AND', fields: [{ field: 'created_at', operator: 'between', value: 1 }] },
        { operator: 'AND', fields: [{ field: 'email_match', operator: 'gt', value: 'a' }] },
        { operator: 'AND', fields: [{ field: 'user_id', operator: 'eq', value: 'bogus' }] },
        { operator: 'AND', fields: [{ field: 'created_at', operator: 'gt', value: 'yesterday' }] },
        { operator: 'AND', fields: [null] },
      ]) {
        expectSbError(await b.post('/v1/auth/users/search', { filters }), 400, 'invalid_search_filter');
      }
    });
  });
});
