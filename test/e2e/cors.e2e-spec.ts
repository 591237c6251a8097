import { createTestApp, TestApp } from '../support/test-app.js';

const PING = '/api/v2/barong/identity/ping';

describe('CORS', () => {
  describe('with an allow list and credentials', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ BARONG_API_CORS_ORIGINS: 'https://app.example.com,https://admin.example.com', BARONG_API_CORS_ALLOW_CREDENTIALS: 'true', BARONG_API_CORS_MAX_AGE: '600' });
    });
    afterAll(() => t.close());

    it('reflects an allowed origin on an ordinary request, with credentials, and varies on Origin', async () => {
      const res = await t.agent().send('GET', PING, { headers: { origin: 'https://admin.example.com' } });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://admin.example.com');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers.vary).toBe('Origin');
    });

    it('names no origin it does not allow, and none for a request without Origin', async () => {
      const other = await t.agent().send('GET', PING, { headers: { origin: 'https://evil.example.net' } });
      expect(other.status).toBe(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const none = await t.agent().get(PING);
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
      expect(none.headers.vary).toBe('Origin');
    });

    it('answers a preflight with 204, the methods, the requested headers and the max age', async () => {
      const res = await t.agent().send('OPTIONS', '/api/v2/barong/resource/users/me', {
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-csrf-token, content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers['content-length']).toBe('0');
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(res.headers['access-control-allow-methods']).toBe('GET, POST, DELETE, PUT, PATCH, OPTIONS, HEAD');
      expect(res.headers['access-control-allow-headers']).toBe('x-csrf-token, content-type');
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers.vary).toBe('Origin, Access-Control-Request-Headers');
    });

    it('treats an OPTIONS that is no preflight as an ordinary request in the face dialect', async () => {
      const noMethod = await t.agent().send('OPTIONS', '/api/v2/barong/resource/users/me', { headers: { origin: 'https://app.example.com' } });
      expect(noMethod.status).toBe(404);
      expect(noMethod.body).toEqual({ error: 'Route is not found' });
      expect(noMethod.headers['access-control-allow-origin']).toBeUndefined();
      const gateway = await t.agent().send('OPTIONS', '/api/v2/auth/api/v2/barong/resource/users/me');
      expect(gateway.status).toBe(200);
      expect(gateway.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('with any origin and no credentials', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ BARONG_API_CORS_ORIGINS: '*' });
    });
    afterAll(() => t.close());

    it('reflects whatever origin is sent and allows no credentials', async () => {
      const res = await t.agent().send('GET', PING, { headers: { origin: 'https://anywhere.example.org' } });
      expect(res.headers['access-control-allow-origin']).toBe('https://anywhere.example.org');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });
});
