import { createHash } from 'node:crypto';
import { AccessControl } from '../../src/core/auth/access-control.js';
import type { User } from '../../src/identity/users/user.entity.js';
import { GeoIp } from '../../src/access/restrictions/geoip.js';
import { RestrictionsScreen } from '../../src/access/restrictions/restrictions.screen.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const PING = '/api/v2/barong/identity/ping';
const ADMIN = '/api/v2/barong/admin/restrictions';
const ACCESS = '/api/v2/barong/identity/users/access';
const SESSIONS = '/api/v2/barong/identity/sessions';

interface RuleSpec {
  category: string;
  scope: string;
  value: string;
  code?: number | null;
  state?: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('restrictions', () => {
  let t: TestApp;
  let admin: Agent;
  let adminUser: User;

  /** Writes rows straight to the table (as an operator with psql would) and reloads the screen. */
  async function rules(...specs: RuleSpec[]): Promise<void> {
    for (const r of specs) {
      await t.dataSource.query('INSERT INTO restrictions (category, scope, value, code, state) VALUES ($1, $2, $3, $4, $5)', [
        r.category,
        r.scope,
        r.value,
        r.code === undefined ? defaultCode(r) : r.code,
        r.state ?? 'enabled',
      ]);
    }
    await t.get(RestrictionsScreen).reload();
  }

  function defaultCode(r: RuleSpec): number {
    if (r.category === 'maintenance') return 471;
    return ({ continent: 423, country: 423, ip_subnet: 403, ip: 401, all: 401 } as Record<string, number>)[r.scope]!;
  }

  async function clearRules(): Promise<void> {
    await t.dataSource.query('DELETE FROM restrictions');
    await t.get(RestrictionsScreen).reload();
  }

  async function pingFrom(ip: string): Promise<{ status: number; body: any }> {
    const res = await t.agent({ ip }).get(PING);
    return { status: res.status, body: res.body };
  }

  async function adminActivities(action?: string): Promise<any[]> {
    const rows = await t.dataSource.query(
      `SELECT user_id, category, topic, action, result, data, user_ip FROM activities WHERE category = 'admin' AND topic = 'restrictions' ${action ? 'AND action = $1' : ''} ORDER BY created_at`,
      action ? [action] : [],
    );
    return rows.map((r: any) => ({ ...r, data: r.data ? JSON.parse(r.data) : null }));
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: admin, user: adminUser } = await agentWithRole(t, 'superadmin'));
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await clearRules();
    await t.dataSource.query('DELETE FROM restriction_whitelinks');
    await t.dataSource.query(`DELETE FROM activities WHERE topic = 'restrictions'`);
  });

  describe('screening', () => {
    it('lets everything through when there are no enabled rules, and ignores disabled ones', async () => {
      expect((await pingFrom('203.0.113.1')).status).toBe(200);
      await rules(
        { category: 'maintenance', scope: 'all', value: 'all', state: 'disabled' },
        { category: 'blacklist', scope: 'ip', value: '203.0.113.1', state: 'disabled' },
      );
      expect((await pingFrom('203.0.113.1')).status).toBe(200);
      expect(t.get(RestrictionsScreen).ruleCount).toBe(0);
    });

    it('maintenance on scope all refuses every request, public ones included, with 471', async () => {
      await rules({ category: 'maintenance', scope: 'all', value: 'all' });
      for (const ip of ['203.0.113.2', '2001:db8::2', '10.0.0.9']) {
        expect(await pingFrom(ip)).toEqual({ status: 471, body: { errors: ['authz.restrict.maintenance'] } });
      }
      const res = await t.agent({ ip: '203.0.113.2' }).post(SESSIONS, { email: 'x@example.com', password: 'x' });
      expect(res.status).toBe(471);
    });

    it('blacklist on scope all refuses with 401', async () => {
      await rules({ category: 'blacklist', scope: 'all', value: 'all' });
      expect(await pingFrom('203.0.113.3')).toEqual({ status: 401, body: { errors: ['authz.restrict.blacklist'] } });
    });

    it('blacklist by exact IPv4 and IPv6 address (IPv6 compared in canonical form)', async () => {
      await rules({ category: 'blacklist', scope: 'ip', value: '203.0.113.4' }, { category: 'blacklist', scope: 'ip', value: '2001:DB8:0:0::4' });
      expect(await pingFrom('203.0.113.4')).toEqual({ status: 401, body: { errors: ['authz.restrict.blacklist'] } });
      expect((await pingFrom('203.0.113.5')).status).toBe(200);
      expect(await pingFrom('2001:db8::4')).toEqual({ status: 401, body: { errors: ['authz.restrict.blacklist'] } });
      expect((await pingFrom('2001:db8::5')).status).toBe(200);
    });

    it('blacklist by IPv4 and IPv6 subnet with 403', async () => {
      await rules({ category: 'blacklist', scope: 'ip_subnet', value: '198.51.100.0/24' }, { category: 'blacklist', scope: 'ip_subnet', value: '2001:db8:aa::/48' });
      expect(await pingFrom('198.51.100.77')).toEqual({ status: 403, body: { errors: ['authz.restrict.blacklist'] } });
      expect((await pingFrom('198.51.101.1')).status).toBe(200);
      expect(await pingFrom('2001:db8:aa:1::9')).toEqual({ status: 403, body: { errors: ['authz.restrict.blacklist'] } });
      expect((await pingFrom('2001:db8:ab::9')).status).toBe(200);
    });

    describe('GeoIP', () => {
      // Well-known public resolvers; what the bundled database says about them is checked first.
      const US_IP = '8.8.8.8';
      const OTHER_IP = '77.88.8.8';
      let other: { country: string; countryName: string; continents: string[] };

      beforeAll(async () => {
        const geo = t.get(GeoIp);
        await geo.ensureLoaded();
        expect(geo.lookup(US_IP)).toMatchObject({ country: 'US', countryName: 'United States', continents: ['NA'] });
        other = geo.lookup(OTHER_IP)!;
        expect(other).toBeDefined();
        expect(other.country).not.toBe('US');
        expect(other.continents).not.toContain('NA');
        expect(geo.lookup('10.1.2.3')).toBeUndefined();
      });

      it.each([['US'], ['usa'], ['United States'], ['united states of america']])('country rule %p matches by ISO code or name', async (value) => {
        await rules({ category: 'blacklist', scope: 'country', value });
        expect(await pingFrom(US_IP)).toEqual({ status: 423, body: { errors: ['authz.restrict.blacklist'] } });
        expect((await pingFrom(OTHER_IP)).status).toBe(200);
        // An address the database does not know matches no geo rule.
        expect((await pingFrom('10.1.2.3')).status).toBe(200);
      });

      it('country rule by the name the database gives for another country', async () => {
        await rules({ category: 'blacklist', scope: 'country', value: other.countryName.toUpperCase() });
        expect((await pingFrom(OTHER_IP)).status).toBe(423);
        expect((await pingFrom(US_IP)).status).toBe(200);
      });

      it.each([['NA'], ['north america']])('continent rule %p matches by code or name', async (value) => {
        await rules({ category: 'maintenance', scope: 'continent', value });
        expect(await pingFrom(US_IP)).toEqual({ status: 471, body: { errors: ['authz.restrict.maintenance'] } });
        expect((await pingFrom(OTHER_IP)).status).toBe(200);
        expect((await pingFrom('10.1.2.3')).status).toBe(200);
      });
    });

    it('whitelist wins over maintenance and blacklist, and stops screening', async () => {
      await rules(
        { category: 'maintenance', scope: 'all', value: 'all' },
        { category: 'blacklist', scope: 'ip_subnet', value: '192.0.2.0/24' },
        { category: 'whitelist', scope: 'ip', value: '192.0.2.10' },
        { category: 'whitelist', scope: 'ip_subnet', value: '2001:db8:cc::/64' },
      );
      expect((await pingFrom('192.0.2.10')).status).toBe(200);
      expect((await pingFrom('2001:db8:cc::1')).status).toBe(200);
      expect(await pingFrom('192.0.2.11')).toEqual({ status: 471, body: { errors: ['authz.restrict.maintenance'] } });
    });

    it('maintenance is checked before blacklist', async () => {
      await rules({ category: 'blacklist', scope: 'ip', value: '192.0.2.20', code: 433 }, { category: 'maintenance', scope: 'ip_subnet', value: '192.0.2.0/28', code: 503 });
      expect(await pingFrom('192.0.2.20')).toEqual({ status: 433, body: { errors: ['authz.restrict.blacklist'] } });
      expect(await pingFrom('192.0.2.5')).toEqual({ status: 503, body: { errors: ['authz.restrict.maintenance'] } });
    });

    it('blocklogin refuses only the sessions path (login and logout), with its own code', async () => {
      await rules({ category: 'blocklogin', scope: 'ip', value: '192.0.2.30', code: 451 });
      const a = t.agent({ ip: '192.0.2.30' });
      expect((await a.get(PING)).status).toBe(200);
      expect(await a.post('/api/v2/barong/identity/password/validate', { password: 'x' })).toMatchObject({ status: 201 });
      const login = await a.post(SESSIONS, { email: 'nobody@example.com', password: STRONG_PASSWORD });
      expect(login.status).toBe(451);
      expect(login.body).toEqual({ errors: ['authz.restrict.blocklogin'] });
      const logout = await a.delete(SESSIONS);
      expect(logout.body).toEqual({ errors: ['authz.restrict.blocklogin'] });
      expect((await t.agent({ ip: '192.0.2.31' }).post(SESSIONS, { email: 'nobody@example.com', password: STRONG_PASSWORD })).status).toBe(401);
      // The gateway screens upstream paths through the same seam.
      const access = t.get(AccessControl);
      await expect(access.screen({ method: 'GET', path: 'api/v2/peatio/public/markets', ip: '192.0.2.30' })).resolves.toBeUndefined();
      await expect(access.screen({ method: 'POST', path: 'api/v2/barong/identity/sessions', ip: '192.0.2.30' })).rejects.toMatchObject({
        status: 451,
        codes: ['authz.restrict.blocklogin'],
      });
    });

    it('a whitelisted IP is not blocklogin-ed', async () => {
      await rules({ category: 'blocklogin', scope: 'all', value: 'all' }, { category: 'whitelist', scope: 'ip', value: '192.0.2.40' });
      expect((await t.agent({ ip: '192.0.2.41' }).post(SESSIONS, { email: 'a@example.com', password: 'x' })).status).toBe(401);
      expect((await t.agent({ ip: '192.0.2.41' }).post(SESSIONS, { email: 'a@example.com', password: 'x' })).body).toEqual({
        errors: ['authz.restrict.blocklogin'],
      });
      expect((await t.agent({ ip: '192.0.2.40' }).post(SESSIONS, { email: 'a@example.com', password: 'x' })).body).not.toEqual({
        errors: ['authz.restrict.blocklogin'],
      });
    });

    it('the whitelink redemption path is never screened', async () => {
      await rules({ category: 'maintenance', scope: 'all', value: 'all' });
      const res = await t.agent({ ip: '192.0.2.50' }).post(ACCESS, { whitelink_token: 'f'.repeat(64) });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: ['identity.user.access.invalid_token'] });
    });
  });

  describe('client IP and trusted proxies', () => {
    let untrusting: TestApp;
    beforeAll(async () => {
      // Same database, but only 10.9.9.9 is a trusted proxy: the test's 127.0.0.1 peer is not.
      untrusting = await createTestApp({ TRUSTED_PROXIES: '10.9.9.9/32' }, { databaseUrl: t.databaseUrl });
    });
    afterAll(() => untrusting.close());

    it('X-Forwarded-For counts only from a trusted proxy', async () => {
      await rules({ category: 'blacklist', scope: 'ip', value: '203.0.113.66' });
      await untrusting.get(RestrictionsScreen).reload();
      // Trusted peer (127.0.0.1 in the main app): the forwarded address is the client.
      expect((await t.agent({ ip: '203.0.113.66' }).get(PING)).status).toBe(401);
      // Untrusted peer: a spoofed header changes nothing, the client is the peer itself.
      expect((await untrusting.agent({ ip: '203.0.113.66' }).get(PING)).status).toBe(200);
      await rules({ category: 'blacklist', scope: 'ip', value: '127.0.0.1' });
      await untrusting.get(RestrictionsScreen).reload();
      expect((await untrusting.agent({ ip: '203.0.113.67' }).get(PING)).body).toEqual({ errors: ['authz.restrict.blacklist'] });
      expect((await t.agent({ ip: '203.0.113.67' }).get(PING)).status).toBe(200);
      await clearRules();
      await untrusting.get(RestrictionsScreen).reload();
    });
  });

  describe('a second instance on the same database', () => {
    let second: TestApp;
    beforeAll(async () => {
      second = await createTestApp({}, { databaseUrl: t.databaseUrl });
    });
    afterAll(() => second.close());

    async function waitForStatus(app: TestApp, ip: string, status: number, withinMs: number): Promise<number> {
      const started = Date.now();
      for (;;) {
        const res = await app.agent({ ip }).get(PING);
        const elapsed = Date.now() - started;
        if (res.status === status) return elapsed;
        if (elapsed > withinMs) throw new Error(`status still ${res.status} after ${elapsed} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    it('sees an admin change within one second, without a restart or a manual reload', async () => {
      expect((await second.agent({ ip: '203.0.113.90' }).get(PING)).status).toBe(200);
      const created = await admin.post(ADMIN, { category: 'blacklist', scope: 'ip', value: '203.0.113.90', code: 434 });
      expect(created.status).toBe(200);
      // The instance that took the write applies it at once.
      expect((await t.agent({ ip: '203.0.113.90' }).get(PING)).status).toBe(434);
      expect(await waitForStatus(second, '203.0.113.90', 434, 1000)).toBeLessThanOrEqual(1000);

      await admin.put(ADMIN, { id: created.body.id, state: 'disabled' });
      expect(await waitForStatus(second, '203.0.113.90', 200, 1000)).toBeLessThanOrEqual(1000);

      // A row written by hand (no admin API) is picked up the same way.
      await t.dataSource.query(`INSERT INTO restrictions (category, scope, value, code, state) VALUES ('maintenance', 'ip', '203.0.113.91', 471, 'enabled')`);
      expect(await waitForStatus(second, '203.0.113.91', 471, 1000)).toBeLessThanOrEqual(1000);
      await t.dataSource.query('DELETE FROM restrictions');
      expect(await waitForStatus(second, '203.0.113.91', 200, 1000)).toBeLessThanOrEqual(1000);
    });
  });

  describe('admin API', () => {
    it('creates restrictions with Barong default codes and records the admin activity', async () => {
      const cases: [Record<string, unknown>, number][] = [
        [{ category: 'blacklist', scope: 'ip', value: '203.0.113.100' }, 401],
        [{ category: 'blacklist', scope: 'ip_subnet', value: '203.0.113.0/25' }, 403],
        [{ category: 'blacklist', scope: 'country', value: 'GB' }, 423],
        [{ category: 'blacklist', scope: 'continent', value: 'Oceania' }, 423],
        [{ category: 'blacklist', scope: 'all', value: 'all', state: 'disabled' }, 401],
        [{ category: 'maintenance', scope: 'ip', value: '203.0.113.101' }, 471],
        [{ category: 'maintenance', scope: 'ip', value: '203.0.113.102', code: 503 }, 503],
        [{ category: 'blacklist', scope: 'ip', value: '203.0.113.103', code: 433 }, 433],
        [{ category: 'whitelist', scope: 'ip_subnet', value: '2001:db8::/32', code: 499 }, 403],
      ];
      for (const [body, code] of cases) {
        const res = await admin.post(ADMIN, body);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          id: expect.any(Number),
          category: body.category,
          scope: body.scope,
          value: body.value,
          code,
          state: body.state ?? 'enabled',
          created_at: expect.any(String),
          updated_at: expect.any(String),
        });
        const [row] = await t.dataSource.query('SELECT category, scope, value, code, state FROM restrictions WHERE id = $1', [res.body.id]);
        expect(row).toEqual({ category: body.category, scope: body.scope, value: body.value, code, state: body.state ?? 'enabled' });
      }
      const activities = await adminActivities('create');
      expect(activities).toHaveLength(cases.length);
      expect(activities[0]).toMatchObject({
        user_id: adminUser.id,
        category: 'admin',
        topic: 'restrictions',
        action: 'create',
        result: 'succeed',
        data: { category: 'blacklist', scope: 'ip', value: '203.0.113.100' },
        user_ip: admin.ip,
      });
      expect(activities[6].data).toMatchObject({ code: 503 });
      // The new rules are in force on this instance at once.
      expect((await pingFrom('203.0.113.103')).status).toBe(433);
    });

    it('accepts form-encoded bodies', async () => {
      const res = await admin.send('POST', ADMIN, { form: { category: 'blacklist', scope: 'ip', value: '203.0.113.110', code: '436', state: 'enabled' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ value: '203.0.113.110', code: 436 });
    });

    it('validates create params', async () => {
      const cases: [Record<string, unknown>, string[]][] = [
        [
          {},
          [
            'admin.restriction.missing_scope',
            'admin.restriction.empty_scope',
            'admin.restriction.missing_value',
            'admin.restriction.empty_value',
            'admin.restriction.missing_category',
            'admin.restriction.empty_category',
          ],
        ],
        [{ scope: 'planet', value: 'x', category: 'blacklist' }, ['admin.restriction.invalid_scope']],
        [{ scope: 'ip', value: '1.2.3.4', category: 'greylist' }, ['admin.restriction.invalid_category']],
        [{ scope: 'ip', value: '1.2.3.4', category: 'blacklist', state: 'paused' }, ['admin.restriction.invalid_state']],
        [{ scope: 'ip', value: '1.2.3.4', category: 'blacklist', state: '' }, ['admin.restriction.empty_state']],
        [{ scope: 'ip', value: '1.2.3.4', category: 'blacklist', code: 'abc' }, ['admin.restriction.non_integer_code']],
        [{ scope: 'ip', value: '1.2.3.4', category: 'blacklist', code: 200 }, ['code.invalid']],
        [{ scope: 'ip', value: '1.2.3.400', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'ip', value: '10.0.0.0/8', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'ip_subnet', value: '10.0.0.0/33', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'ip_subnet', value: '2001:db8::/129', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'ip_subnet', value: '10.0.0.1', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'country', value: 'Atlantis', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'continent', value: 'XX', category: 'blacklist' }, ['value.invalid']],
        [{ scope: 'all', value: 'a'.repeat(65), category: 'blacklist' }, ['value.too_long']],
      ];
      for (const [body, errors] of cases) {
        const res = await admin.post(ADMIN, body);
        expect({ body, status: res.status, errors: res.body.errors }).toEqual({ body, status: 422, errors });
      }
      expect(await t.dataSource.query('SELECT id FROM restrictions')).toEqual([]);
      expect(await adminActivities()).toEqual([]);
    });

    it('refuses a duplicate (value, scope, category) with value.taken', async () => {
      expect((await admin.post(ADMIN, { category: 'blacklist', scope: 'country', value: 'FR' })).status).toBe(200);
      const dup = await admin.post(ADMIN, { category: 'blacklist', scope: 'country', value: 'FR', code: 450 });
      expect(dup.status).toBe(422);
      expect(dup.body).toEqual({ errors: ['value.taken'] });
      // Same value in another category is a different rule.
      expect((await admin.post(ADMIN, { category: 'whitelist', scope: 'country', value: 'FR' })).status).toBe(200);
      expect(await adminActivities('create')).toHaveLength(2);
    });

    it('lists with filters and pagination headers', async () => {
      await rules(
        { category: 'blacklist', scope: 'ip', value: '203.0.113.120' },
        { category: 'blacklist', scope: 'ip', value: '203.0.113.121' },
        { category: 'whitelist', scope: 'ip', value: '203.0.113.122' },
        { category: 'maintenance', scope: 'all', value: 'all', state: 'disabled' },
      );
      const all = await admin.get(ADMIN);
      expect(all.status).toBe(200);
      expect(all.body.map((r: any) => r.value)).toEqual(['203.0.113.120', '203.0.113.121', '203.0.113.122', 'all']);
      expect(all.headers.total).toBe('4');
      expect(all.headers.page).toBe('1');
      expect(all.headers['per-page']).toBe('100');

      const page2 = await admin.get(ADMIN, { query: { limit: 2, page: 2 } });
      expect(page2.body.map((r: any) => r.value)).toEqual(['203.0.113.122', 'all']);
      expect(page2.headers.link).toContain('rel="prev"');

      const blacklist = await admin.get(ADMIN, { query: { category: 'blacklist' } });
      expect(blacklist.body).toHaveLength(2);
      const scoped = await admin.get(ADMIN, { query: { scope: 'all' } });
      expect(scoped.body).toEqual([expect.objectContaining({ category: 'maintenance', state: 'disabled', code: 471 })]);

      await t.dataSource.query(`UPDATE restrictions SET created_at = '2020-01-01T00:00:00Z', updated_at = '2024-01-01T00:00:00Z' WHERE value = '203.0.113.120'`);
      const y2020 = Date.parse('2020-01-01T00:00:00Z') / 1000;
      const y2024 = Date.parse('2024-01-01T00:00:00Z') / 1000;
      const old = await admin.get(ADMIN, { query: { to: y2020 } });
      expect(old.body.map((r: any) => r.value)).toEqual(['203.0.113.120']);
      const exact = await admin.get(ADMIN, { query: { from: y2020, to: y2020 } });
      expect(exact.body.map((r: any) => r.value)).toEqual(['203.0.113.120']);
      const updated = await admin.get(ADMIN, { query: { range: 'updated', from: y2024 - 1, to: y2024 + 1 } });
      expect(updated.body.map((r: any) => r.value)).toEqual(['203.0.113.120']);
      const recent = await admin.get(ADMIN, { query: { from: y2020 + 1 } });
      expect(recent.body).toHaveLength(3);

      for (const [query, errors] of [
        [{ range: 'deleted' }, ['admin.restriction.invalid_range']],
        [{ scope: 'planet' }, ['admin.restriction.invalid_scope']],
        [{ category: 'greylist' }, ['admin.restriction.invalid_category']],
        [{ from: 'yesterday' }, ['admin.restriction.non_integer_from']],
        [{ limit: 101 }, ['invalid_limit']],
        [{ page: 0 }, ['non_positive_page']],
      ] as [Record<string, string | number>, string[]][]) {
        const res = await admin.get(ADMIN, { query });
        expect({ query, status: res.status, body: res.body }).toEqual({ query, status: 422, body: { errors } });
      }
    });

    it('updates a restriction, re-validating the result, and records it', async () => {
      const created = await admin.post(ADMIN, { category: 'blacklist', scope: 'ip', value: '203.0.113.130' });
      const id = created.body.id;
      const res = await admin.put(ADMIN, { id, value: '203.0.113.131', code: 440 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, value: '203.0.113.131', code: 440, state: 'enabled' });
      expect((await pingFrom('203.0.113.131')).status).toBe(440);
      expect((await pingFrom('203.0.113.130')).status).toBe(200);

      // Turning it into a whitelist row recomputes its code.
      const white = await admin.put(ADMIN, { id, category: 'whitelist' });
      expect(white.body).toMatchObject({ category: 'whitelist', code: 401 });

      // id from the query string, fields from a form body.
      const form = await admin.send('PUT', ADMIN, { query: { id }, form: { state: 'disabled' } });
      expect(form.status).toBe(200);
      expect(form.body.state).toBe('disabled');

      const [row] = await t.dataSource.query('SELECT category, value, code, state FROM restrictions WHERE id = $1', [id]);
      expect(row).toEqual({ category: 'whitelist', value: '203.0.113.131', code: 401, state: 'disabled' });

      for (const [body, status, errors] of [
        [{}, 422, ['admin.restriction.missing_id', 'admin.restriction.empty_id']],
        [{ id: 'x' }, 422, ['admin.restriction.non_integer_id']],
        [{ id: 999_999, state: 'enabled' }, 404, ['admin.restriction.doesnt_exist']],
        [{ id, scope: 'ip_subnet' }, 422, ['value.invalid']],
        [{ id, state: 'paused' }, 422, ['admin.restriction.invalid_state']],
        [{ id, value: '' }, 422, ['admin.restriction.empty_value']],
      ] as [Record<string, unknown>, number, string[]][]) {
        const bad = await admin.put(ADMIN, body);
        expect({ body, status: bad.status, errors: bad.body.errors }).toEqual({ body, status, errors });
      }

      const other = await admin.post(ADMIN, { category: 'whitelist', scope: 'ip', value: '203.0.113.132' });
      const clash = await admin.put(ADMIN, { id: other.body.id, value: '203.0.113.131' });
      expect(clash.status).toBe(422);
      expect(clash.body).toEqual({ errors: ['value.taken'] });

      const updates = await adminActivities('update');
      expect(updates).toHaveLength(3);
      expect(updates[0]).toMatchObject({ user_id: adminUser.id, result: 'succeed', data: { id, value: '203.0.113.131', code: 440 } });
    });

    it('deletes a restriction', async () => {
      const created = await admin.post(ADMIN, { category: 'blacklist', scope: 'ip', value: '203.0.113.140' });
      expect((await pingFrom('203.0.113.140')).status).toBe(401);
      const res = await admin.delete(ADMIN, { id: created.body.id });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.body.id, value: '203.0.113.140' });
      expect(await t.dataSource.query('SELECT id FROM restrictions')).toEqual([]);
      expect((await pingFrom('203.0.113.140')).status).toBe(200);

      const again = await admin.send('DELETE', ADMIN, { query: { id: created.body.id } });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ errors: ['admin.restriction.doesnt_exist'] });
      const missing = await admin.delete(ADMIN, {});
      expect(missing.body).toEqual({ errors: ['admin.restriction.missing_id', 'admin.restriction.empty_id'] });
      expect(await adminActivities('delete')).toEqual([expect.objectContaining({ user_id: adminUser.id, data: { id: created.body.id } })]);
    });

    it('needs the Restriction ability', async () => {
      const { agent: member } = await agentWithRole(t, 'member');
      const { agent: accountant } = await agentWithRole(t, 'accountant');
      expect((await member.get(ADMIN)).status).toBe(401);
      expect((await member.post(ADMIN, { category: 'blacklist', scope: 'ip', value: '203.0.113.150' })).status).toBe(401);
      expect((await accountant.post(ADMIN, { category: 'blacklist', scope: 'ip', value: '203.0.113.150' })).status).toBe(401);
      expect((await accountant.post(`${ADMIN}/whitelink`, {})).status).toBe(401);
      expect((await t.agent().get(ADMIN)).status).toBe(401);
      const { agent: technical } = await agentWithRole(t, 'technical');
      expect((await technical.post(ADMIN, { category: 'blacklist', scope: 'ip', value: '203.0.113.151' })).status).toBe(200);
      expect(await t.dataSource.query('SELECT value FROM restrictions')).toEqual([{ value: '203.0.113.151' }]);
    });

    it('revokes every session when an enabled blocklogin rule is saved', async () => {
      const liveSessions = async (): Promise<number> =>
        Number((await t.dataSource.query('SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL'))[0].n);
      // Another admin-API user, so the check is an authenticated route of this module.
      const { agent: member, user } = await agentWithRole(t, 'technical');
      expect((await member.get(ADMIN)).status).toBe(200);

      // A disabled blocklogin row revokes nothing.
      const created = await admin.post(ADMIN, { category: 'blocklogin', scope: 'ip', value: '203.0.113.160', state: 'disabled' });
      expect(created.status).toBe(200);
      expect(await liveSessions()).toBeGreaterThanOrEqual(2);
      expect((await member.get(ADMIN)).status).toBe(200);

      // Enabling it does, the admin's own session included.
      expect((await admin.put(ADMIN, { id: created.body.id, state: 'enabled' })).status).toBe(200);
      expect(await liveSessions()).toBe(0);
      const refused = await member.get(ADMIN);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ errors: ['authz.invalid_session'] });
      expect((await admin.get(ADMIN)).status).toBe(401);
      await signIn(t, admin, adminUser);

      // Saving it again while it stays enabled revokes nothing more.
      await signIn(t, member, user);
      expect((await admin.put(ADMIN, { id: created.body.id, code: 450 })).status).toBe(200);
      expect((await member.get(ADMIN)).status).toBe(200);

      // Creating an enabled one does.
      expect((await admin.post(ADMIN, { category: 'blocklogin', scope: 'all', value: 'all' })).status).toBe(200);
      expect(await liveSessions()).toBe(0);
      expect((await member.get(ADMIN)).status).toBe(401);
      await signIn(t, admin, adminUser);
    });
  });

  describe('whitelinks', () => {
    it('issues a token, stores only its hash, and whitelists the IP that redeems it', async () => {
      const res = await admin.post(`${ADMIN}/whitelink`, {});
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ whitelink_token: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const token: string = res.body.whitelink_token;
      const stored = await t.dataSource.query('SELECT token_hash, expires_at FROM restriction_whitelinks');
      expect(stored).toHaveLength(1);
      expect(stored[0].token_hash).toBe(sha256(token));
      expect(stored[0].token_hash).not.toBe(token);
      const ttl = new Date(stored[0].expires_at).getTime() - Date.now();
      expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(86_400_000);
      expect(await adminActivities('create')).toEqual([
        expect.objectContaining({ user_id: adminUser.id, data: { expire_time: 1, range: 'day' } }),
      ]);

      // The platform is under maintenance, but the admin's IP is whitelisted.
      await rules({ category: 'whitelist', scope: 'ip', value: admin.ip }, { category: 'maintenance', scope: 'all', value: 'all' });
      const visitor = t.agent({ ip: '198.51.100.200' });
      expect((await visitor.get(PING)).status).toBe(471);
      const redeemed = await visitor.post(ACCESS, { whitelink_token: token });
      expect(redeemed.status).toBe(201);
      expect(redeemed.text).toBe('');
      expect((await visitor.get(PING)).status).toBe(200);
      const [row] = await t.dataSource.query(`SELECT category, scope, value, code, state FROM restrictions WHERE value = '198.51.100.200'`);
      expect(row).toEqual({ category: 'whitelist', scope: 'ip', value: '198.51.100.200', code: 401, state: 'enabled' });

      // The same IP again is a duplicate; another IP may use the same link (form body).
      const twice = await visitor.post(ACCESS, { whitelink_token: token });
      expect(twice.status).toBe(422);
      expect(twice.body).toEqual({ errors: ['value.taken'] });
      const v6 = t.agent({ ip: '2001:db8:ee::1' });
      expect((await v6.send('POST', ACCESS, { form: { whitelink_token: token } })).status).toBe(201);
      expect((await v6.get(PING)).status).toBe(200);
    });

    it('refuses unknown, expired and missing tokens', async () => {
      const a = t.agent({ ip: '198.51.100.210' });
      expect((await a.post(ACCESS, {})).body).toEqual({ errors: ['identity.user.missing_whitelink_token', 'identity.user.empty_whitelink_token'] });
      const blank = await a.post(ACCESS, { whitelink_token: ' ' });
      expect(blank.status).toBe(422);
      expect(blank.body).toEqual({ errors: ['identity.user.empty_whitelink_token'] });
      const unknown = await a.post(ACCESS, { whitelink_token: 'a'.repeat(64) });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toEqual({ errors: ['identity.user.access.invalid_token'] });

      const { whitelink_token: token } = (await admin.post(`${ADMIN}/whitelink`, { expire_time: 3, range: 'hour' })).body;
      const [stored] = await t.dataSource.query('SELECT expires_at FROM restriction_whitelinks WHERE token_hash = $1', [sha256(token)]);
      const ttl = new Date(stored.expires_at).getTime() - Date.now();
      expect(ttl).toBeGreaterThan(3 * 3_600_000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(3 * 3_600_000);
      await t.dataSource.query(`UPDATE restriction_whitelinks SET expires_at = now() - interval '1 second'`);
      const expired = await a.post(ACCESS, { whitelink_token: token });
      expect(expired.status).toBe(422);
      expect(expired.body).toEqual({ errors: ['identity.user.access.invalid_token'] });
      expect(await t.dataSource.query('SELECT id FROM restrictions')).toEqual([]);
    });

    it('validates whitelink params', async () => {
      for (const [body, errors] of [
        [{ expire_time: 0 }, ['invalid_expire']],
        [{ expire_time: 31 }, ['invalid_expire']],
        [{ expire_time: 'soon' }, ['invalid_expire']],
        [{ range: 'week' }, ['invalid_range']],
        [{ expire_time: '', range: '' }, ['admin.restriction.empty_expire_time', 'admin.restriction.empty_range']],
      ] as [Record<string, unknown>, string[]][]) {
        const res = await admin.post(`${ADMIN}/whitelink`, body);
        expect({ body, status: res.status, errors: res.body.errors }).toEqual({ body, status: 422, errors });
      }
      const ok = await admin.send('POST', `${ADMIN}/whitelink`, { form: { expire_time: '30', range: 'day' } });
      expect(ok.status).toBe(201);
      expect(await t.dataSource.query('SELECT token_hash FROM restriction_whitelinks')).toHaveLength(1);
    });
  });
});
