import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { createValidationPipe } from '../../src/core/http/validation.js';
import { CaptchaGate } from '../../src/identity/captcha/captcha.js';
import { CaptchaResponseProperty } from '../../src/identity/captcha/captcha-response.js';
import { User } from '../../src/identity/users/user.entity.js';
import { STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
}

/** Stands in for Google's siteverify and Geetest's register.php / validate.php. */
class FakeCaptchaProvider {
  readonly seen: Seen[] = [];
  /** reCAPTCHA tokens that verify. */
  goodTokens = new Set<string>(['good-token']);
  /** Geetest: the remote challenge register.php hands out ('' to fail). */
  remoteChallenge = 'a'.repeat(32);
  /** Geetest: what validate.php answers for a seccode (default md5(seccode): valid). */
  seccodeAnswer: (seccode: string) => string = (s) => md5(s);
  status = 200;
  delayMs = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.seen.length = 0;
    this.status = 200;
    this.delayMs = 0;
    this.remoteChallenge = 'a'.repeat(32);
    this.seccodeAnswer = (s) => md5(s);
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    const seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, form: new URLSearchParams(raw) };
    this.seen.push(seen);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;
    res.statusCode = this.status;
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/siteverify') {
      res.end(JSON.stringify({ success: this.goodTokens.has(seen.form.get('response') ?? '') }));
    } else if (url.pathname === '/register.php') {
      res.end(JSON.stringify({ challenge: this.remoteChallenge }));
    } else if (url.pathname === '/validate.php') {
      res.end(JSON.stringify({ seccode: this.seccodeAnswer(seen.form.get('seccode') ?? '') }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function rejection(p: Promise<unknown>): Promise<{ status: number; codes: string[] } | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    const e = err as { status: number; codes: string[] };
    return { status: e.status, codes: e.codes };
  }
}

const newEmail = (): string => `captcha-${Math.random().toString(16).slice(2, 10)}@example.com`;

describe('captcha', () => {
  const provider = new FakeCaptchaProvider();
  beforeAll(() => provider.start());
  afterAll(() => provider.close());
  beforeEach(() => provider.reset());

  describe('reCAPTCHA', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        BARONG_CAPTCHA: 'recaptcha',
        BARONG_RECAPTCHA_SITE_KEY: 'site-key-123',
        BARONG_RECAPTCHA_SECRET_KEY: 'secret-key-456',
        BARONG_RECAPTCHA_VERIFY_URL: `${provider.url}/siteverify`,
        BARONG_CAPTCHA_TIMEOUT_MS: '300',
      });
    });
    afterAll(() => t?.close());

    it.each(['identity', 'public'])('%s/configs carries the site key as captcha_id', async (face) => {
      const res = await t.agent().get(`/api/v2/barong/${face}/configs`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ captcha_type: 'recaptcha', captcha_id: 'site-key-123' });
    });

    it('a good token passes; the secret and response are posted, the client IP is not', async () => {
      await expect(t.get(CaptchaGate).check('user_create', 'good-token', '10.0.0.9')).resolves.toBeUndefined();
      expect(provider.seen).toHaveLength(1);
      const [call] = provider.seen;
      expect(call!.method).toBe('POST');
      expect(Object.fromEntries(call!.form)).toEqual({ secret: 'secret-key-456', response: 'good-token' });
    });

    it.each([undefined, null, '', '   '])('a missing response (%p) is 400 identity.captcha.required, nothing is asked', async (response) => {
      expect(await rejection(t.get(CaptchaGate).check('session_create', response, '10.0.0.9'))).toEqual({
        status: 400,
        codes: ['identity.captcha.required'],
      });
      expect(provider.seen).toHaveLength(0);
    });

    it('a token Google rejects is 422 identity.captcha.verification_failed', async () => {
      expect(await rejection(t.get(CaptchaGate).check('password_reset', 'bad-token', '10.0.0.9'))).toEqual({
        status: 422,
        codes: ['identity.captcha.verification_failed'],
      });
    });

    it('an object where a token belongs is 422 verification_failed', async () => {
      expect(await rejection(t.get(CaptchaGate).check('password_reset', { token: 'good-token' }, '10.0.0.9'))).toEqual({
        status: 422,
        codes: ['identity.captcha.verification_failed'],
      });
    });

    it('provider errors and timeouts are 422 verification_failed', async () => {
      provider.status = 500;
      expect((await rejection(t.get(CaptchaGate).check('email_confirmation', 'good-token', '10.0.0.9')))?.codes).toEqual([
        'identity.captcha.verification_failed',
      ]);
      provider.status = 200;
      provider.delayMs = 1500;
      const started = Date.now();
      expect(await rejection(t.get(CaptchaGate).check('email_confirmation', 'good-token', '10.0.0.9'))).toEqual({
        status: 422,
        codes: ['identity.captcha.verification_failed'],
      });
      expect(Date.now() - started).toBeLessThan(1400);
    });

    it('registration: no captcha is 400 and no user is created; a bad one is 422; a good one registers', async () => {
      const a = t.agent();
      const email = newEmail();
      const missing = await a.post('/api/v2/barong/identity/users', { email, password: STRONG_PASSWORD });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ errors: ['identity.captcha.required'] });
      const bad = await a.post('/api/v2/barong/identity/users', { email, password: STRONG_PASSWORD, captcha_response: 'bad-token' });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: ['identity.captcha.verification_failed'] });
      expect(await t.dataSource.getRepository(User).count({ where: { email } })).toBe(0);

      const form = await a.send('POST', '/api/v2/barong/identity/users', {
        form: { email, password: STRONG_PASSWORD, captcha_response: 'good-token' },
      });
      expect(form.status).toBe(201);
      expect(form.body.email).toBe(email);
      expect(await t.dataSource.getRepository(User).count({ where: { email } })).toBe(1);
    });

    it('login is captcha-protected (session_create) before credentials are looked at', async () => {
      const res = await t.agent().post('/api/v2/barong/identity/sessions', { email: 'nobody@example.com', password: 'x' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: ['identity.captcha.required'] });
      expect(await t.dataSource.getRepository(Activity).count({ where: { topic: 'session' } })).toBe(0);
    });
  });

  describe('reCAPTCHA with a narrower list of protected endpoints', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        BARONG_CAPTCHA: 'recaptcha',
        BARONG_RECAPTCHA_SECRET_KEY: 'secret-key-456',
        BARONG_RECAPTCHA_VERIFY_URL: `${provider.url}/siteverify`,
        BARONG_CAPTCHA_PROTECTED_ENDPOINTS: 'user_create',
      });
    });
    afterAll(() => t?.close());

    it('only the listed endpoints are checked', async () => {
      const gate = t.get(CaptchaGate);
      await expect(gate.check('session_create', undefined, '10.0.0.9')).resolves.toBeUndefined();
      await expect(gate.check('password_reset', undefined, '10.0.0.9')).resolves.toBeUndefined();
      expect((await rejection(gate.check('user_create', undefined, '10.0.0.9')))?.codes).toEqual(['identity.captcha.required']);
      expect(provider.seen).toHaveLength(0);
    });

    it('configs carry no captcha_id without a site key', async () => {
      const res = await t.agent().get('/api/v2/barong/identity/configs');
      expect(res.body.captcha_type).toBe('recaptcha');
      expect(res.body).not.toHaveProperty('captcha_id');
    });
  });

  describe('Geetest', () => {
    const KEY = 'geetest-private-key';
    const ID = 'geetest-captcha-id';
    let t: TestApp;
    const answer = (challenge = 'c'.repeat(32), seccode = 'seccode-1|jordan') => ({
      geetest_challenge: challenge,
      geetest_validate: md5(KEY + 'geetest' + challenge),
      geetest_seccode: seccode,
    });
    beforeAll(async () => {
      t = await createTestApp({
        BARONG_CAPTCHA: 'geetest',
        BARONG_GEETEST_ID: ID,
        BARONG_GEETEST_KEY: KEY,
        BARONG_GEETEST_API_URL: provider.url,
        BARONG_CAPTCHA_TIMEOUT_MS: '300',
      });
    });
    afterAll(() => t?.close());

    it('register_geetest answers {gt, challenge = md5(remote challenge + key)} without a session', async () => {
      provider.remoteChallenge = 'f'.repeat(32);
      const res = await t.agent().get('/api/v2/barong/identity/users/register_geetest');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ gt: ID, challenge: md5('f'.repeat(32) + KEY) });
      expect(provider.seen[0]!.path).toBe('/register.php');
      expect(provider.seen[0]!.query.get('gt')).toBe(ID);
    });

    it('register_geetest answers an empty string when Geetest fails', async () => {
      provider.remoteChallenge = '0';
      const short = await t.agent().get('/api/v2/barong/identity/users/register_geetest');
      expect(short.status).toBe(200);
      expect(short.body).toBe('');
      provider.status = 503;
      const down = await t.agent().get('/api/v2/barong/identity/users/register_geetest');
      expect(down.body).toBe('');
    });

    it('a valid answer passes: validate is checked locally, the seccode is posted, md5(seccode) comes back', async () => {
      await expect(t.get(CaptchaGate).check('user_create', answer(), '10.0.0.9')).resolves.toBeUndefined();
      expect(provider.seen).toHaveLength(1);
      expect(provider.seen[0]!.path).toBe('/validate.php');
      expect(provider.seen[0]!.form.get('seccode')).toBe('seccode-1|jordan');
      expect(provider.seen[0]!.form.get('challenge')).toBe('c'.repeat(32));
    });

    it('the answer may come as a JSON string or as flat form fields', async () => {
      const gate = t.get(CaptchaGate);
      await expect(gate.check('user_create', JSON.stringify(answer()), '10.0.0.9')).resolves.toBeUndefined();
      const flat = Object.fromEntries(Object.entries(answer()).map(([k, v]) => [`captcha_response[${k}]`, v]));
      await expect(gate.check('user_create', flat, '10.0.0.9')).resolves.toBeUndefined();
    });

    it('CaptchaResponseProperty gathers form-encoded captcha_response[...] fields through the validation pipe', async () => {
      class Dto {
        @CaptchaResponseProperty()
        captcha_response?: unknown;
      }
      const flat = Object.fromEntries(Object.entries(answer()).map(([k, v]) => [`captcha_response[${k}]`, v]));
      const piped = (await createValidationPipe().transform(flat, { type: 'body', metatype: Dto })) as Dto;
      expect(piped.captcha_response).toEqual(answer());
      expect(plainToInstance(Dto, { captcha_response: 'tok' }).captcha_response).toBe('tok');
      expect(plainToInstance(Dto, {}).captcha_response).toBeUndefined();
    });

    it.each([
      ['a plain string', 'not-an-object'],
      ['a missing field', { geetest_challenge: 'c', geetest_validate: 'v' }],
      ['a non-string field', { geetest_challenge: 'c', geetest_validate: 'v', geetest_seccode: 42 }],
    ])('%s is 400 identity.captcha.mandatory_fields', async (_, response) => {
      expect(await rejection(t.get(CaptchaGate).check('user_create', response, '10.0.0.9'))).toEqual({
        status: 400,
        codes: ['identity.captcha.mandatory_fields'],
      });
      expect(provider.seen).toHaveLength(0);
    });

    it('an empty answer is 400 identity.captcha.required', async () => {
      expect((await rejection(t.get(CaptchaGate).check('user_create', {}, '10.0.0.9')))?.codes).toEqual(['identity.captcha.required']);
    });

    it('a validate value that is not md5(key + "geetest" + challenge) fails without asking Geetest', async () => {
      const forged = { ...answer(), geetest_validate: md5('wrong-key' + 'geetest' + 'c'.repeat(32)) };
      expect(await rejection(t.get(CaptchaGate).check('user_create', forged, '10.0.0.9'))).toEqual({
        status: 422,
        codes: ['identity.captcha.verification_failed'],
      });
      expect(provider.seen).toHaveLength(0);
    });

    it('Geetest refusing the seccode, erroring or timing out is 422 verification_failed', async () => {
      const gate = t.get(CaptchaGate);
      provider.seccodeAnswer = () => 'false';
      expect((await rejection(gate.check('user_create', answer(), '10.0.0.9')))?.codes).toEqual(['identity.captcha.verification_failed']);
      provider.reset();
      provider.status = 500;
      expect((await rejection(gate.check('user_create', answer(), '10.0.0.9')))?.status).toBe(422);
      provider.reset();
      provider.delayMs = 1500;
      expect((await rejection(gate.check('user_create', answer(), '10.0.0.9')))?.codes).toEqual(['identity.captcha.verification_failed']);
    });

    it('registration takes the Geetest object in a JSON body', async () => {
      const a = t.agent();
      const email = newEmail();
      const bad = await a.post('/api/v2/barong/identity/users', {
        email,
        password: STRONG_PASSWORD,
        captcha_response: { geetest_challenge: 'c' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ errors: ['identity.captcha.mandatory_fields'] });
      const ok = await a.post('/api/v2/barong/identity/users', { email, password: STRONG_PASSWORD, captcha_response: answer() });
      expect(ok.status).toBe(201);
      expect(await t.dataSource.getRepository(User).count({ where: { email } })).toBe(1);
    });
  });

  describe('none', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ BARONG_CAPTCHA: 'none' });
    });
    afterAll(() => t?.close());

    it('lets everything through and register_geetest answers an empty string', async () => {
      await expect(t.get(CaptchaGate).check('user_create', undefined, '10.0.0.9')).resolves.toBeUndefined();
      const res = await t.agent().get('/api/v2/barong/identity/users/register_geetest');
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      const configs = await t.agent().get('/api/v2/barong/public/configs');
      expect(configs.body.captcha_type).toBe('none');
      expect(configs.body).not.toHaveProperty('captcha_id');
    });
  });
});
