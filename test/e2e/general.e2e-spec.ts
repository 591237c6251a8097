import { createTestApp, TestApp } from '../support/test-app.js';

describe('general endpoints and the app shell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['identity', 'public'])('%s ping, time, version, configs', async (face) => {
    const a = t.agent();
    expect((await a.get(`/api/v2/barong/${face}/ping`)).body).toEqual({ ping: 'pong' });
    const time = await a.get(`/api/v2/barong/${face}/time`);
    expect(Math.abs(Date.parse(time.body.time) - Date.now())).toBeLessThan(5000);
    const version = await a.get(`/api/v2/barong/${face}/version`);
    expect(version.body).toEqual(expect.objectContaining({ version: expect.any(String), git_tag: expect.stringMatching(/^v/) }));
    const configs = await a.get(`/api/v2/barong/${face}/configs`);
    expect(configs.body).toMatchObject({ session_expire_time: 1800, captcha_type: 'none', password_min_entropy: 14 });
    expect(new RegExp(configs.body.password_regexp).test('Aa1!aaaa')).toBe(true);
  });

  it('password/validate answers entropy, and missing password in the face prefix', async () => {
    const a = t.agent();
    const strong = await a.post('/api/v2/barong/identity/password/validate', { password: 'Tr1cky!Horse_Battery' });
    expect(strong.status).toBe(201);
    const weak = await a.post('/api/v2/barong/identity/password/validate', { password: 'aaaaaaaa' });
    expect(weak.body.entropy).toBeLessThan(strong.body.entropy);
    const missing = await a.post('/api/v2/barong/public/password/validate', {});
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ errors: ['public.general.missing_password', 'public.general.empty_password'] });
    const form = await a.send('POST', '/api/v2/barong/identity/password/validate', { form: { password: 'Tr1cky!Horse_Battery' } });
    expect(form.body).toEqual(strong.body);
  });

  it('malformed JSON is a 400 in the Barong format, unknown routes are 404', async () => {
    const a = t.agent();
    const bad = await a.send('POST', '/api/v2/barong/identity/password/validate', { body: '{bad', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errors: ['server.request.invalid_json'] });
    const missing = await a.get('/api/v2/barong/identity/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Route is not found' });
  });

  it('health reports the database, and the OpenAPI document is served', async () => {
    const a = t.agent();
    expect((await a.get('/health')).body).toEqual({ status: 'ok', database: 'up' });
    const doc = await a.get('/docs-json');
    expect(doc.body.paths['/api/v2/barong/identity/ping'].get.responses['200']).toBeDefined();
    const ui = await a.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    for (const [asset, type] of [['swagger-ui.css', 'text/css'], ['swagger-ui-bundle.js', 'application/javascript']]) {
      const res = await a.get(`/docs/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain(type);
    }
    expect((await a.get('/docs/package.json')).status).toBe(404);
  });
});
