import { Activity } from '../../src/core/audit/activity.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { Profile } from '../../src/identity/profiles/profile.entity.js';
import { UserPresenter } from '../../src/identity/users/user-presenter.js';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const RES = '/api/v2/barong/resource/profiles';
const ADM = '/api/v2/barong/admin/profiles';

const FULL = {
  first_name: '  John   Ronald ',
  last_name: 'Smith',
  dob: '1990-05-12',
  address: '221B Baker Street, apt. 4',
  postcode: 'NW1 6XE',
  city: 'London',
  country: 'GBR',
  metadata: '{"nationality":"GB"}',
};

describe('profiles', () => {
  let t: TestApp;
  let superadmin: { agent: Agent; user: User };
  let admin: { agent: Agent; user: User };

  beforeAll(async () => {
    t = await createTestApp();
    superadmin = await agentWithRole(t, 'superadmin');
    admin = await agentWithRole(t, 'admin');
  });
  afterAll(() => t.close());

  const profilesOf = (userId: string): Promise<Profile[]> => t.dataSource.getRepository(Profile).find({ where: { userId }, order: { createdAt: 'ASC' } });
  const profileLabel = async (userId: string): Promise<string | undefined> =>
    (await t.dataSource.getRepository(Label).findOneBy({ userId, key: 'profile', scope: 'private' }))?.value;

  describe('user API', () => {
    it('creates a drafted profile (masked in answers, sealed at rest) and labels it', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await agent.post(RES, FULL);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        first_name: 'John Ronald',
        last_name: 'S****',
        dob: '1990-05-**',
        address: '221B Baker Street, apt. 4',
        postcode: 'NW1 6XE',
        city: 'London',
        country: 'GBR',
        state: 'drafted',
        metadata: { nationality: 'GB' },
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const [row] = await profilesOf(user.id);
      expect(row).toMatchObject({ state: 0, postcode: 'NW1 6XE', city: 'London', country: 'GBR', author: null });
      const raw = await t.dataSource.query('SELECT * FROM profiles WHERE user_id = $1', [user.id]);
      const stored = JSON.stringify(raw);
      for (const secret of ['John', 'Smith', '1990-05-12', 'Baker']) expect(stored).not.toContain(secret);
      expect(raw[0].last_name_sealed).toMatch(/^v1\./);
      expect(await profileLabel(user.id)).toBe('drafted');

      const me = await agent.get(`${RES}/me`);
      expect(me.status).toBe(200);
      expect(me.body).toEqual([res.body]);

      const full = await t.get(UserPresenter).fullInfo(user);
      expect(full.profiles).toEqual([expect.objectContaining({ last_name: 'S****', dob: '1990-05-**' })]);
      const kyc = await t.get(UserPresenter).withKyc(user);
      expect(kyc.profiles).toEqual([expect.objectContaining({ last_name: 'Smith', dob: '1990-05-12' })]);
    });

    it('only one open profile; confirm submits; PUT edits the drafted one', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await agent.get(`${RES}/me`)).body).toEqual([]);
      const none = await agent.put(RES, { city: 'Paris' });
      expect(none.status).toBe(404);
      expect(none.body).toEqual({ errors: ['resource.profile.doesnt_exist_or_not_editable'] });

      expect((await agent.post(RES, { first_name: 'Anna' })).status).toBe(201);
      const second = await agent.post(RES, { first_name: 'Anna' });
      expect(second.status).toBe(422);
      expect(second.body).toEqual({ errors: ['state.exists'] });

      const edited = await agent.put(RES, { last_name: 'Karenina', country: 'ru' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ first_name: 'Anna', last_name: 'K*******', country: 'ru', state: 'drafted' });
      const bad = await agent.put(RES, { city: 'Paris!' });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: ['city.invalid'] });

      const submitted = await agent.send('PUT', RES, { form: { city: 'Moscow', confirm: 'true' } });
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ city: 'Moscow', state: 'submitted' });
      expect(await profileLabel(user.id)).toBe('submitted');
      const locked = await agent.put(RES, { city: 'Tver' });
      expect(locked.status).toBe(404);
      expect(locked.body).toEqual({ errors: ['resource.profile.doesnt_exist_or_not_editable'] });
      expect((await agent.post(RES, { first_name: 'Other' })).body).toEqual({ errors: ['state.exists'] });
      expect(await profilesOf(user.id)).toHaveLength(1);
    });

    it('POST with confirm=true submits at once', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await agent.post(RES, { ...FULL, confirm: true });
      expect(res.status).toBe(201);
      expect(res.body.state).toBe('submitted');
      expect((await profilesOf(user.id))[0]!.state).toBe(1);
      expect(await profileLabel(user.id)).toBe('submitted');
      const notBool = await agent.post(RES, { confirm: 'perhaps' });
      expect(notBool.body).toEqual({ errors: ['resource.profile.non_boolean_confirm'] });
    });

    it('checks every field', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await agent.post(RES, {
        first_name: 'J0hn$',
        last_name: 'a'.repeat(256),
        city: 'Kyiv<',
        country: 'ZZ',
        postcode: '1',
        address: 'Main street {4}',
        metadata: '{not json',
        dob: '1990-13-45',
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        'first_name.invalid',
        'last_name.too_long',
        'city.invalid',
        'country.must have alpha2 or alpha3 format',
        'postcode.too_short',
        'address.invalid',
        'metadata.invalid_format',
        'dob.invalid_format',
      ]);
      const future = await agent.post(RES, { dob: '2999-01-01' });
      expect(future.body).toEqual({ errors: ['dob.invalid'] });
      expect(await profilesOf(user.id)).toEqual([]);
      const unicode = await agent.post(RES, { first_name: "Zoë O'Neil-Łukasz", city: 'Saint-Étienne', country: 'fr', dob: '2000-02-29' });
      expect(unicode.status).toBe(201);
      expect(unicode.body).toMatchObject({ first_name: "Zoë O'Neil-Łukasz", dob: '2000-02-**' });
    });

    it('masking can be turned off', async () => {
      const plain = await createTestApp({ BARONG_API_DATA_MASKING_ENABLED: 'false' });
      try {
        const { agent } = await agentWithRole(plain, 'member');
        const res = await agent.post(RES, FULL);
        expect(res.body).toMatchObject({ last_name: 'Smith', dob: '1990-05-12' });
      } finally {
        await plain.close();
      }
    });
  });

  describe('admin API', () => {
    it('lists all profiles unmasked, paginated', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      await agent.post(RES, { ...FULL, last_name: 'Listed' });
      const res = await admin.agent.get(ADM, { query: { limit: 100 } });
      expect(res.status).toBe(200);
      expect(Number(res.headers.total)).toBeGreaterThanOrEqual(1);
      const mine = res.body.find((p: { uid: string }) => p.uid === user.uid);
      expect(mine).toMatchObject({ last_name: 'Listed', dob: '1990-05-12', state: 'drafted' });
      const paged = await admin.agent.get(ADM, { query: { limit: 1 } });
      expect(paged.body).toHaveLength(1);
      expect((await admin.agent.get(ADM, { query: { limit: 101 } })).body).toEqual({ errors: ['invalid_limit'] });
    });

    it('admin creates a submitted profile authored by them; an author cannot self-approve with double verification', async () => {
      const target = await createUser(t);
      const created = await admin.agent.post(ADM, { uid: target.uid, first_name: 'Maria', last_name: 'Curie', dob: '1967-11-07' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ uid: target.uid, last_name: 'Curie', dob: '1967-11-07', state: 'submitted' });
      const [row] = await profilesOf(target.id);
      expect(row).toMatchObject({ state: 1, author: admin.user.uid });
      expect(await profileLabel(target.id)).toBe('submitted');
      const acts = await t.dataSource.getRepository(Activity).find({ where: { targetUid: target.uid, category: 'admin' } });
      expect(acts).toEqual([expect.objectContaining({ userId: admin.user.id, topic: 'profiles', action: 'create', result: 'succeed' })]);
      expect(acts[0]!.data).not.toContain('Curie');

      const again = await admin.agent.post(ADM, { uid: target.uid });
      expect(again.status).toBe(422);
      expect(again.body).toEqual({ errors: ['state.exists'] });
      const noUid = await admin.agent.post(ADM, {});
      expect(noUid.body).toEqual({ errors: ['admin.profile.missing_uid'] });
      const unknown = await admin.agent.post(ADM, { uid: 'ID0000000000' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ errors: ['admin.user.doesnt_exist'] });

      // With double verification on, the author (an admin) may not decide; another instance shares the database.
      const strict = await createTestApp({ BARONG_PROFILE_DOUBLE_VERIFICATION: 'true' }, { databaseUrl: t.databaseUrl });
      try {
        const { signIn } = await import('../support/factories.js');
        const authorAgent = await signIn(strict, strict.agent(), admin.user);
        const refused = await authorAgent.put(ADM, { uid: target.uid, state: 'verified' });
        expect(refused.status).toBe(422);
        expect(refused.body).toEqual({ errors: ['admin.profiles.second_admin_approval'] });
        expect((await profilesOf(target.id))[0]!.state).toBe(1);
        const other = await agentWithRole(strict, 'admin');
        const approved = await other.agent.put(ADM, { uid: target.uid, state: 'verified' });
        expect(approved.status).toBe(200);
        expect(approved.body).toMatchObject({ state: 'verified', last_name: 'Curie' });
      } finally {
        await strict.app.close();
      }
      expect((await profilesOf(target.id))[0]!.state).toBe(3);
      expect(await profileLabel(target.id)).toBe('verified');
    });

    it('a superadmin author may decide even with double verification', async () => {
      const strict = await createTestApp({ BARONG_PROFILE_DOUBLE_VERIFICATION: 'true' });
      try {
        const sa = await agentWithRole(strict, 'superadmin');
        const target = await createUser(strict);
        await sa.agent.post(ADM, { uid: target.uid, city: 'Oslo' });
        const res = await sa.agent.put(ADM, { uid: target.uid, state: 'rejected' });
        expect(res.status).toBe(200);
        expect(res.body.state).toBe('rejected');
      } finally {
        await strict.close();
      }
    });

    it('PUT decides on the submitted profile only', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      await agent.post(RES, { first_name: 'Draft' });
      const notSubmitted = await admin.agent.put(ADM, { uid: user.uid, state: 'verified' });
      expect(notSubmitted.status).toBe(404);
      expect(notSubmitted.body).toEqual({ errors: ['admin.profiles.doesnt_exist_or_not_editable'] });
      await agent.put(RES, { confirm: true });
      const badState = await admin.agent.put(ADM, { uid: user.uid, state: 'drafted' });
      expect(badState.status).toBe(422);
      expect(badState.body).toEqual({ errors: ['state.inclusion'] });
      const missing = await admin.agent.put(ADM, {});
      expect(missing.body).toEqual({ errors: ['admin.profile.missing_uid', 'admin.profile.missing_state'] });
      const unknown = await admin.agent.put(ADM, { uid: 'ID0000000000', state: 'verified' });
      expect(unknown.status).toBe(404);

      const rejected = await admin.agent.put(ADM, { uid: user.uid, state: 'rejected' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ uid: user.uid, first_name: 'Draft', state: 'rejected' });
      expect(await profileLabel(user.id)).toBe('rejected');
      const acts = await t.dataSource.getRepository(Activity).find({ where: { targetUid: user.uid, category: 'admin' } });
      expect(acts).toEqual([expect.objectContaining({ userId: admin.user.id, topic: 'profiles', action: 'update' })]);
      // Once decided, the user may open a new profile.
      expect((await agent.post(RES, { first_name: 'Second' })).status).toBe(201);
      expect((await agent.get(`${RES}/me`)).body.map((p: { state: string }) => p.state)).toEqual(['rejected', 'drafted']);
    });

    it("a non-superadmin cannot decide on a superadmin's profile", async () => {
      const boss = await createUser(t, { role: 'superadmin' });
      await superadmin.agent.post(ADM, { uid: boss.uid, city: 'Rome' });
      const res = await admin.agent.put(ADM, { uid: boss.uid, state: 'verified' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['admin.profiles.superadmin_change'] });
      expect((await profilesOf(boss.id))[0]!.state).toBe(1);
      expect((await superadmin.agent.put(ADM, { uid: boss.uid, state: 'verified' })).status).toBe(200);
    });
  });
});
