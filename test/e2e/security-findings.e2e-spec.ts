import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pg from 'pg';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { PermissionsService } from '../../src/access/permissions/permissions.service.js';
import { RestrictionsScreen } from '../../src/access/restrictions/restrictions.screen.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, type TestApp, tokenFromMail } from '../support/test-app.js';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';

const SESSIONS = '/api/v2/barong/identity/sessions';
const ME = '/api/v2/barong/resource/users/me';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as written (the request line is the attack) and reads the answer until the server closes. */
function raw(t: TestApp, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(head[0]!.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
    socket.write(request);
  });
}

/** A request with `Connection: close`, from a client IP behind the trusted proxy. */
function rawRequest(method: string, target: string, opts: { ip?: string; headers?: Record<string, string>; body?: string } = {}): string {
  const headers: Record<string, string> = {
    host: 'localhost',
    'user-agent': 'jest-agent/1.0',
    'x-forwarded-for': opts.ip ?? '10.200.0.1',
    connection: 'close',
    ...opts.headers,
  };
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  }
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${opts.body ?? ''}`;
}

const json = (res: RawResponse): unknown => JSON.parse(res.body);

describe('security findings (issue 12)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('1. blocklogin is decided on the path the router routes', () => {
    const ip = '10.201.0.1';
    beforeAll(async () => {
      const { agent: admin } = await agentWithRole(t, 'superadmin');
      expect((await admin.post('/api/v2/barong/admin/restrictions', { category: 'blocklogin', scope: 'ip', value: ip })).status).toBe(200);
      await t.get(RestrictionsScreen).reload();
    });

    it('an absolute-form target is reduced to its path: still refused, no cookie', async () => {
      const user = await createUser(t);
      const body = JSON.stringify({ email: user.email, password: STRONG_PASSWORD });
      for (const target of [`http://any-host${SESSIONS}`, `HTTP://any-host:8080${SESSIONS}?x=1`, `http://any-host/api/v2/auth${SESSIONS}`]) {
        const res = await raw(t, rawRequest('POST', target, { ip, body }));
        expect([target, res.status]).toEqual([target, 401]);
        expect(json(res)).toEqual({ errors: ['authz.restrict.blocklogin'] });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('a fragment is refused on the service and at the gateway (also encoded), in the face dialect', async () => {
      const user = await createUser(t);
      const body = JSON.stringify({ email: user.email, password: STRONG_PASSWORD });
      for (const target of [`${SESSIONS}#x`, `/api/v2/auth${SESSIONS}#x`, `/api/v2/auth${SESSIONS}%23x`, `${SESSIONS}%23x`]) {
        const res = await raw(t, rawRequest('POST', target, { ip, body }));
        expect([target, res.status]).toEqual([target, 400]);
        expect(json(res)).toEqual({ errors: ['server.request.invalid_path'] });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const plain = await raw(t, rawRequest('POST', `/api/v2/auth${SESSIONS}`, { ip }));
      expect([plain.status, json(plain)]).toEqual([401, { errors: ['authz.restrict.blocklogin'] }]);
    });
  });

  describe('2. messages are capped per destination, phones need a confirmed e-mail, sign-ups per IP', () => {
    const PHONES = '/api/v2/barong/resource/phones';
    const smsTo = (e164: string) => t.get(OutboxService).messagesTo('sms', e164);

    it('eight fresh accounts cannot send eight SMS to one number: five per hour, then 429', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const { agent } = await agentWithRole(t, 'member');
        const res = await agent.post(PHONES, { phone_number: '+380 99 555 0001' });
        statuses.push(res.status);
        if (res.status === 429) expect(res.body).toEqual({ errors: ['resource.phone.too_many_attempts'] });
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
      expect(await smsTo('+380995550001')).toHaveLength(5);
    });

    it('the daily cap holds when the hourly one has room', async () => {
      const key = t.get(OutboxService).destinationKey('sms', '+380995550002');
      for (let i = 0; i < 20; i++) {
        await t.dataSource.query(
          `INSERT INTO outbox_messages (channel, recipient, destination_key, body, status, created_at) VALUES ('sms', '', $1, '', 'sent', now() - interval '3 hours')`,
          [key],
        );
      }
      const { agent } = await agentWithRole(t, 'member');
      const res = await agent.post(PHONES, { phone_number: '+380995550002' });
      expect([res.status, res.body]).toEqual([429, { errors: ['resource.phone.too_many_attempts'] }]);
    });

    it('mail to one address is capped across flows', async () => {
      const email = 'capped@example.com';
      expect((await t.agent().post('/api/v2/barong/identity/users', { email, password: STRONG_PASSWORD })).status).toBe(201);
      for (let i = 0; i < 4; i++) await t.agent().post('/api/v2/barong/identity/users/email/generate_code', { email });
      for (let i = 0; i < 4; i++) await t.agent().post('/api/v2/barong/identity/users/password/generate_code', { email });
      expect(await t.mailsTo(email)).toHaveLength(5);
    });

    it('an account that has not confirmed its e-mail cannot add a phone or send codes', async () => {
      const { agent } = await agentWithRole(t, 'member', { state: 'pending' });
      const added = await agent.post(PHONES, { phone_number: '+380995550003' });
      expect([added.status, added.body]).toEqual([403, { errors: ['resource.phone.email_not_confirmed'] }]);
      expect(await smsTo('+380995550003')).toHaveLength(0);

      const { agent: later, user } = await agentWithRole(t, 'member');
      expect((await later.post(PHONES, { phone_number: '+380995550004' })).status).toBe(201);
      await t.dataSource.query(`UPDATE users SET state = 'pending' WHERE id = $1`, [user.id]);
      await t.dataSource.query(`UPDATE phones SET code_sent_at = now() - interval '1 hour' WHERE user_id = $1`, [user.id]);
      t.advanceClock(1100);
      const resent = await later.post(`${PHONES}/send_code`, { phone_number: '+380995550004' });
      expect([resent.status, resent.body]).toEqual([403, { errors: ['resource.phone.email_not_confirmed'] }]);
      expect(await smsTo('+380995550004')).toHaveLength(1);
    });

    it('registrations per IP are limited (BARONG_REGISTRATION_LIMIT_PER_IP, default 50 an hour)', async () => {
      const ip = '10.202.0.1';
      for (let i = 0; i < 50; i++) {
        const res = await t.agent({ ip }).post('/api/v2/barong/identity/users', { email: `bulk${i}@example.com`, password: STRONG_PASSWORD });
        expect(res.status).toBe(201);
      }
      const refused = await t.agent({ ip }).post('/api/v2/barong/identity/users', { email: 'bulk50@example.com', password: STRONG_PASSWORD });
      expect([refused.status, refused.body]).toEqual([429, { errors: ['identity.user.too_many_attempts'] }]);
      expect((await t.agent({ ip: '10.202.0.2' }).post('/api/v2/barong/identity/users', { email: 'bulk51@example.com', password: STRONG_PASSWORD })).status).toBe(201);
    });
  });

  describe('3. a gateway JWT lives no longer than its session', () => {
    const bearerFor = async (agent: Agent): Promise<string> => {
      const res = await agent.get(`/api/v2/auth${ME}`);
      expect(res.status).toBe(200);
      return res.headers.authorization!;
    };
    const meWith = (authorization: string) => t.agent().get(ME, { headers: { authorization } });
    const staleCache = async () => t.advanceClock(1100);

    it('works while the session lives, keeps Barong claims only, and stops after logout', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, t.agent(), user);
      const authorization = await bearerFor(agent);
      const claims = JSON.parse(Buffer.from(authorization.split('.')[1]!, 'base64url').toString());
      expect(Object.keys(claims).sort()).toEqual(['aud', 'email', 'exp', 'iat', 'iss', 'jti', 'level', 'referral_id', 'role', 'state', 'sub', 'uid', 'username']);
      expect(claims.jti).toMatch(/^[0-9a-f]{20}$/);
      const before = await meWith(authorization);
      expect([before.status, before.body.uid]).toEqual([200, user.uid]);

      expect((await agent.delete(SESSIONS)).status).toBe(200);
      await staleCache();
      const after = await meWith(authorization);
      expect([after.status, after.body]).toEqual([401, { errors: ['jwt.decode_and_verify'] }]);
    });

    it('stops after a password reset ends the sessions', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, t.agent(), user);
      const authorization = await bearerFor(agent);
      expect((await meWith(authorization)).status).toBe(200);
      await t.agent().post('/api/v2/barong/identity/users/password/generate_code', { email: user.email });
      const [mail] = await t.mailsTo(user.email!);
      const reset = await t.agent().post('/api/v2/barong/identity/users/password/confirm_code', {
        reset_password_token: tokenFromMail(mail!.body),
        password: 'N3w!Passw0rd#Long',
        confirm_password: 'N3w!Passw0rd#Long',
      });
      expect(reset.status).toBe(201);
      await staleCache();
      expect((await meWith(authorization)).status).toBe(401);
    });
  });

  describe('4. the gateway decides on one canonical spelling of a DROPped path', () => {
    it('odd spellings are refused or denied, never granted a token', async () => {
      await t.dataSource.query(
        `INSERT INTO permissions (role, verb, path, action, created_at, updated_at) VALUES
           ('trader', 'ALL', 'api/v2/peatio', 'ACCEPT', now(), now()),
           ('trader', 'ALL', 'api/v2/peatio/account/withdraws', 'DROP', now(), now())`,
      );
      await t.get(PermissionsService).reload();
      const { agent } = await agentWithRole(t, 'trader');
      const cookie = `_barong_session=${agent.cookies.get('_barong_session')}`;
      const base = '/api/v2/auth/api/v2/peatio/account';
      const ok = await raw(t, rawRequest('GET', `${base}/balances`, { ip: agent.ip, headers: { cookie } }));
      expect(ok.status).toBe(200);
      expect(ok.headers.authorization).toMatch(/^Bearer /);
      const denied = await raw(t, rawRequest('GET', `${base}/WITHDRAWS`, { ip: agent.ip, headers: { cookie } }));
      expect([denied.status, json(denied)]).toEqual([401, { errors: ['authz.invalid_permission'] }]);
      for (const spelling of [`${base}//withdraws`, `${base};x/withdraws`, `${base}/%2577ithdraws`, `${base}\\withdraws`, `${base}/%5Cwithdraws`, `${base}%3Bx/withdraws`]) {
        const res = await raw(t, rawRequest('GET', spelling, { ip: agent.ip, headers: { cookie } }));
        expect([spelling, res.status]).toEqual([spelling, 400]);
        expect(json(res)).toEqual({ errors: ['server.request.invalid_path'] });
        expect(res.headers.authorization).toBeUndefined();
      }
    });
  });

  describe('5. outbox payloads are sealed at rest and erased once delivered', () => {
    const rowsFor = (key: string) => t.dataSource.query(`SELECT recipient, body, status FROM outbox_messages WHERE destination_key = $1`, [key]);

    it('a confirmation mail holds neither address nor token in clear, and nothing once sent', async () => {
      const email = 'sealed@example.com';
      const signup = await t.agent().post('/api/v2/barong/identity/users', { email, password: STRONG_PASSWORD });
      expect(signup.status).toBe(201);
      const [mail] = await t.mailsTo(email);
      const token = tokenFromMail(mail!.body);
      const key = t.get(OutboxService).destinationKey('mail', email);
      const [stored] = await rowsFor(key);
      expect(stored.recipient).not.toContain('sealed');
      expect(stored.body).not.toContain(token);
      const all = JSON.stringify(await t.dataSource.query(`SELECT * FROM outbox_messages`));
      expect(all).not.toContain(token);
      expect(all).not.toContain(email);

      await t.drainOutbox();
      expect(await rowsFor(key)).toEqual([{ recipient: '', body: '', status: 'sent' }]);
      const confirmed = await t.agent().post('/api/v2/barong/identity/users/email/confirm_code', { token });
      expect(confirmed.status).toBe(201);
    });

    it('SMS codes and numbers are sealed; an undelivered message past its retention is erased', async () => {
      const { agent } = await agentWithRole(t, 'member');
      expect((await agent.post('/api/v2/barong/resource/phones', { phone_number: '+380995550009' })).status).toBe(201);
      const key = t.get(OutboxService).destinationKey('sms', '+380995550009');
      const [stored] = await rowsFor(key);
      expect(stored.recipient).not.toContain('380995550009');
      expect(stored.body).not.toMatch(/\d{5}/);
      await t.dataSource.query(`UPDATE outbox_messages SET status = 'pending', created_at = now() - interval '2 days' WHERE destination_key = $1`, [key]);
      await t.drainOutbox();
      expect(await rowsFor(key)).toEqual([{ recipient: '', body: '', status: 'failed' }]);
    });
  });

  describe('6. nobody can lock a user out', () => {
    const login = (ip: string, email: string, password: string, extra: Record<string, unknown> = {}) =>
      t.agent({ ip }).post(SESSIONS, { email, password, ...extra });

    it('five wrong passwords lock the account from that IP only; the right password from elsewhere works', async () => {
      const user = await createUser(t);
      for (let i = 0; i < 5; i++) expect((await login('10.203.0.1', user.email!, 'Wr0ng!Password#1')).status).toBe(401);
      expect((await login('10.203.0.1', user.email!, STRONG_PASSWORD)).status).toBe(429);
      const elsewhere = await login('10.203.0.2', user.email!, STRONG_PASSWORD);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.headers['set-cookie']).toContain('_barong_session=');
    });

    it('thirty failures from an IP (on a few accounts) do not lock out the others behind it', async () => {
      const neighbour = await createUser(t);
      for (let a = 0; a < 6; a++) {
        const victim = await createUser(t);
        for (let i = 0; i < 5; i++) expect((await login('10.203.0.3', victim.email!, 'Wr0ng!Password#1')).status).toBe(401);
      }
      expect((await login('10.203.0.3', neighbour.email!, STRONG_PASSWORD)).status).toBe(200);
    });

    it('failures spread over many IPs lock the account only past the per-account limit (no captcha configured: 429)', async () => {
      const user = await createUser(t);
      for (let i = 0; i < 49; i++) expect((await login(`10.204.${i}.1`, user.email!, 'Wr0ng!Password#1')).status).toBe(401);
      expect((await login('10.205.0.1', user.email!, STRONG_PASSWORD)).status).toBe(200);
      expect((await login('10.204.99.1', user.email!, 'Wr0ng!Password#1')).status).toBe(401);
      const locked = await login('10.205.0.2', user.email!, STRONG_PASSWORD);
      expect([locked.status, locked.body]).toEqual([429, { errors: ['identity.session.too_many_attempts'] }]);
    });

    describe('with a captcha configured', () => {
      let c: TestApp;
      let server: Server;
      beforeAll(async () => {
        server = createServer((req, res) => {
          let body = '';
          req.on('data', (chunk: Buffer) => (body += chunk));
          req.on('end', () => res.setHeader('content-type', 'application/json').end(JSON.stringify({ success: new URLSearchParams(body).get('response') === 'good-token' })));
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        c = await createTestApp({
          BARONG_CAPTCHA: 'recaptcha',
          BARONG_RECAPTCHA_SITE_KEY: 'site',
          BARONG_RECAPTCHA_SECRET_KEY: 'secret',
          BARONG_RECAPTCHA_VERIFY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`,
          BARONG_CAPTCHA_PROTECTED_ENDPOINTS: 'user_create',
          BARONG_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
          BARONG_REGISTRATION_LIMIT_PER_IP: '1',
        });
      });
      afterAll(async () => {
        await c?.close();
        await new Promise((r) => server.close(r));
      });

      it('past the per-account limit the login asks for the captcha, and passes with it', async () => {
        const user = await createUser(c);
        const attempt = (ip: string, extra: Record<string, unknown> = {}) => c.agent({ ip }).post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, ...extra });
        expect((await attempt('10.206.0.1')).status).toBe(200);
        for (let i = 0; i < 3; i++) await c.agent({ ip: `10.207.${i}.1` }).post(SESSIONS, { email: user.email, password: 'Wr0ng!Password#1' });
        const asked = await attempt('10.206.0.2');
        expect([asked.status, asked.body]).toEqual([400, { errors: ['identity.captcha.required'] }]);
        const wrong = await attempt('10.206.0.2', { captcha_response: 'bad-token' });
        expect([wrong.status, wrong.body]).toEqual([422, { errors: ['identity.captcha.verification_failed'] }]);
        expect((await attempt('10.206.0.2', { captcha_response: 'good-token' })).status).toBe(200);
      });

      it('past the registrations-per-IP limit (finding 2) sign-up asks for the captcha instead of refusing', async () => {
        const signup = (email: string, extra: Record<string, unknown> = {}) =>
          c.agent({ ip: '10.208.0.1' }).post('/api/v2/barong/identity/users', { email, password: STRONG_PASSWORD, ...extra });
        expect((await signup('first@example.com', { captcha_response: 'good-token' })).status).toBe(201);
        const asked = await signup('second@example.com');
        expect([asked.status, asked.body]).toEqual([400, { errors: ['identity.captcha.required'] }]);
        expect((await signup('second@example.com', { captcha_response: 'good-token' })).status).toBe(201);
      });
    });
  });

  describe('7. deeply nested JSON is refused at parse time', () => {
    it('answers 400 in the face dialect for objects and arrays, on public and admin routes', async () => {
      const { agent, user } = await agentWithRole(t, 'admin');
      // Under the routes' 64 KiB body limit (a deeper array past it is refused as too large first).
      for (const body of ['{"a":'.repeat(5000) + '1' + '}'.repeat(5000), '['.repeat(60000)]) {
        for (const path of [SESSIONS, '/api/v2/barong/admin/users/role']) {
          const res = await agent.send('POST', path, { body });
          expect([path, res.status]).toEqual([path, 400]);
          expect(res.body).toEqual({ errors: ['server.request.too_deeply_nested'] });
        }
      }
      // Nesting within the limit reaches the guard, and the denial is audited.
      const nested = '{"uid":"ID0000000000","role":"admin","x":' + '{"a":'.repeat(30) + '1' + '}'.repeat(30) + '}';
      const denied = await agent.send('POST', '/api/v2/barong/admin/users/role', { body: nested });
      expect([denied.status, denied.body]).toEqual([401, { errors: ['authz.invalid_permission'] }]);
      const audited = await t.dataSource.getRepository(Activity).findBy({ userId: user.id, result: 'denied' });
      expect(audited).toHaveLength(1);
      // A JSON text with brackets inside strings is not nesting.
      const strings = await agent.post(SESSIONS, { email: '['.repeat(1000), password: '{'.repeat(1000) });
      expect(strings.status).not.toBe(400);
    });
  });

  describe('8. malformed multipart is a 400', () => {
    it('a wrong boundary, or none, on resource/documents and resource/addresses', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const body = '--real\r\ncontent-disposition: form-data; name="doc_type"\r\n\r\npassport\r\n--real--\r\n';
      for (const path of ['/api/v2/barong/resource/documents', '/api/v2/barong/resource/addresses']) {
        for (const contentType of ['multipart/form-data; boundary=wrong', 'multipart/form-data']) {
          const res = await agent.send('POST', path, { body, headers: { 'content-type': contentType } });
          expect([path, contentType, res.status]).toEqual([path, contentType, 400]);
          expect(Object.keys(res.body)).toEqual(['errors']);
        }
      }
    });
  });

  describe('9. NUL in a looked-up field', () => {
    const denials = (userId: string) => t.dataSource.getRepository(Activity).find({ where: { userId, result: 'denied' } });

    it('a denied request is still audited, in the body or the query', async () => {
      const { agent, user } = await agentWithRole(t, 'admin');
      const inBody = await agent.post('/api/v2/barong/admin/users/role', { uid: '\u0000', role: 'admin' });
      expect([inBody.status, inBody.body]).toEqual([401, { errors: ['authz.invalid_permission'] }]);
      const inQuery = await agent.send('POST', '/api/v2/barong/admin/users/role?uid=%00&role=admin');
      expect(inQuery.status).toBe(401);
      const rows = await denials(user.id);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => r.targetUid)).toEqual(['\\u0000', '\\u0000']);
    });

    it('mail lookups with NUL answer 422 instead of failing in the background', async () => {
      for (const path of ['/api/v2/barong/identity/users/password/generate_code', '/api/v2/barong/identity/users/email/generate_code']) {
        const res = await t.agent().post(path, { email: 'a\u0000@example.com' });
        expect([path, res.status, res.body]).toEqual([path, 422, { errors: ['server.request.invalid_value'] }]);
      }
    });
  });

  describe('10. errors outside the face shape', () => {
    it('OPTIONS on the gateway without Origin answers 200 with no Authorization', async () => {
      const res = await raw(t, rawRequest('OPTIONS', `/api/v2/auth${ME}`));
      expect(res.status).toBe(200);
      expect(res.headers.authorization).toBeUndefined();
    });

    it('framework errors speak the face dialect, HEAD without a body', async () => {
      const cases: [string, number][] = [
        ['GET /api/v2/barong/public/ping HTTP/1.1 extra\r\nhost: x\r\n\r\n', 400],
        ['GET /api/v2/barong/pub\x01lic HTTP/1.1\r\nhost: x\r\n\r\n', 400],
        ['POST /api/v2/barong/identity/sessions HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n', 400],
        // With a content type, so the body is read (without one, 415 can come first).
        ['POST /api/v2/barong/identity/sessions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', 400],
        [`GET /api/v2/barong/public/ping?${'q'.repeat(100 * 1024)} HTTP/1.1\r\nhost: x\r\n\r\n`, 431],
      ];
      for (const [request, status] of cases) {
        const res = await raw(t, request);
        expect([request.slice(0, 60), res.status]).toEqual([request.slice(0, 60), status]);
        expect(Object.keys(json(res) as object)).toEqual(['errors']);
      }
      const head = await raw(t, `HEAD /api/v2/barong/public/ping?${'q'.repeat(100 * 1024)} HTTP/1.1\r\nhost: x\r\n\r\n`);
      expect(head.status).toBe(431);
      expect(head.body).toBe('');
    });

    it('absolute-form and // targets keep the face dialect', async () => {
      const absolute = await raw(t, rawRequest('GET', 'http://any-host/api/v2/barong/resource/nothing-here'));
      expect([absolute.status, json(absolute)]).toEqual([404, { error: 'Route is not found' }]);
      const doubled = await raw(t, rawRequest('GET', '//api/v2/barong/public/ping'));
      expect([doubled.status, json(doubled)]).toEqual([400, { errors: ['server.request.invalid_path'] }]);
      const ping = await raw(t, rawRequest('GET', 'http://any-host/api/v2/barong/identity/ping'));
      expect(ping.status).toBe(200);
    });
  });

  describe('11. signing in ends the session the browser still held', () => {
    it('logging in again with the old cookie ends the old session', async () => {
      const user = await createUser(t);
      const browser = t.agent();
      expect((await browser.post(SESSIONS, { email: user.email, password: STRONG_PASSWORD })).status).toBe(200);
      const old = browser.cookies.get('_barong_session')!;
      expect((await browser.post(SESSIONS, { email: user.email, password: STRONG_PASSWORD })).status).toBe(200);
      expect(browser.cookies.get('_barong_session')).not.toBe(old);
      expect((await browser.get(ME)).status).toBe(200);
      const stolen = t.agent({ ip: browser.ip });
      stolen.cookies.set('_barong_session', old);
      expect((await stolen.get(ME)).status).toBe(401);
      const live = await t.dataSource.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
      expect(live[0].n).toBe(1);
    });
  });

  describe('12. the cookie is Secure behind an https PUBLIC_URL; short idle timeouts slide', () => {
    let c: TestApp;
    beforeAll(async () => {
      c = await createTestApp({ PUBLIC_URL: 'https://id.example.com', BARONG_SESSION_EXPIRE_TIME: '3' });
    });
    afterAll(() => c?.close());

    it('sets Secure although the request came over plain HTTP', async () => {
      const user = await createUser(c);
      const browser = c.agent();
      expect((await browser.post(SESSIONS, { email: user.email, password: STRONG_PASSWORD })).status).toBe(200);
      expect(browser.setCookies.at(-1)).toMatch(/;\s*Secure/i);
    });

    it('a 3 s idle timeout keeps a session alive that is used every second, and ends it when idle', async () => {
      const user = await createUser(c);
      const browser = c.agent();
      expect((await browser.post(SESSIONS, { email: user.email, password: STRONG_PASSWORD })).status).toBe(200);
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        expect([i, (await browser.get(ME)).status]).toEqual([i, 200]);
      }
      await new Promise((r) => setTimeout(r, 3500));
      expect((await browser.get(ME)).status).toBe(401);
    });
  });

  describe('13. a database connection lost mid-request', () => {
    /** Holds a lock the request's first query waits on, then terminates the backends waiting on it. */
    async function terminatedMidRequest(send: () => Promise<{ status: number; body: unknown; headers: Record<string, string> }>) {
      const locker = new pg.Client({ connectionString: t.databaseUrl });
      const killer = new pg.Client({ connectionString: t.databaseUrl });
      await Promise.all([locker.connect(), killer.connect()]);
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
        const pending = send();
        let killed = 0;
        for (let i = 0; i < 100 && !killed; i++) {
          await new Promise((r) => setTimeout(r, 20));
          const rows = await killer.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
            [(locker as unknown as { processID: number }).processID],
          );
          killed = rows.rowCount ?? 0;
        }
        expect(killed).toBeGreaterThan(0);
        return await pending;
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await Promise.all([locker.end(), killer.end()]);
      }
    }

    it('answers 503 with Retry-After in the face dialect, on a route and at the gateway, and recovers by itself', async () => {
      for (const path of [ME, `/api/v2/auth${ME}`]) {
        const user = await createUser(t);
        const agent = await signIn(t, t.agent(), user);
        const res = await terminatedMidRequest(() => agent.get(path));
        expect([path, res.status, res.body]).toEqual([path, 503, { errors: ['server.unavailable'] }]);
        expect(res.headers['retry-after']).toBe('1');
        expect((await agent.get(path)).status).toBe(200);
      }
    });
  });
});
