import { JsonLogger } from '../../src/core/observability/json-logger.js';
import { logContext } from '../../src/core/observability/log-context.js';
import { createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ME = '/api/v2/barong/resource/users/me';
const LOGIN = '/api/v2/barong/identity/sessions';

/** The value of one sample of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('operations: metrics, probes, request ids, JSON logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: 'metrics-token-0123456789', BARONG_LOGIN_MAX_FAILURES_PER_EMAIL: '2' });
  });
  afterAll(() => t.close());

  const scrape = async (): Promise<string> => {
    const res = await t.agent().get('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.text;
  };

  it('/metrics needs the token when one is configured, in the service face shape', async () => {
    const res = await t.agent().get('/metrics');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['metrics.invalid_token'] });
    expect((await t.agent().get('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('counts requests by face, route pattern and status, logins, rate-limit refusals, with latency', async () => {
    const user = await createUser(t);
    const agent = await signIn(t, t.agent(), user);
    await agent.get(ME);
    await t.agent().get('/api/v2/barong/admin/users/ID0000000001');
    await t.agent().post(LOGIN, { email: user.email, password: STRONG_PASSWORD });
    const guessed = await createUser(t);
    const statuses: number[] = [];
    // Failures from one client IP (the short lock counts per account and IP).
    const guesser = t.agent();
    for (let i = 0; i < 3; i++) statuses.push((await guesser.post(LOGIN, { email: guessed.email, password: 'Wrong!Passw0rd#9' })).status);
    expect(statuses).toEqual([401, 401, 429]);

    const text = await scrape();
    expect(sample(text, 'http_requests_total', { face: 'barong', route: ME, method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    // The route pattern, never the concrete path.
    expect(sample(text, 'http_requests_total', { route: '/api/v2/barong/admin/users/:uid', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('ID0000000001');
    expect(sample(text, 'http_request_duration_seconds_count', { face: 'barong', route: ME })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'logins_total', { result: 'succeeded' })).toBe(1);
    expect(sample(text, 'logins_total', { result: 'failed' })).toBe(3);
    expect(sample(text, 'rate_limit_refusals_total', { route: LOGIN })).toBe(1);
    expect(sample(text, 'db_pool_connections', { state: 'max' })).toBe(20);
    expect(sample(text, 'outbox_pending_messages', {})).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^outbox_oldest_pending_age_seconds \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });

  it('reports outbox depth and the age of the oldest pending message', async () => {
    await t.dataSource.query(
      `INSERT INTO outbox_messages (channel, recipient, subject, body, template, created_at) VALUES ('mail', 'depth@example.com', 's', 'b', '', now() - interval '90 seconds')`,
    );
    const text = await scrape();
    expect(sample(text, 'outbox_pending_messages', {})).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'outbox_oldest_pending_age_seconds', {})).toBeGreaterThanOrEqual(90);
  });

  it('/health/live and /health/ready answer, /health stays as it was', async () => {
    const live = await t.agent().get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await t.agent().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
    expect(ready.body.info.instance.status).toBe('up');
    expect((await t.agent().get('/health')).body).toEqual({ status: 'ok', database: 'up' });
  });

  it('every answer carries X-Request-Id; a trusted proxy\'s id is kept, a malformed one is not', async () => {
    const own = await t.agent().get(ME);
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.agent().get('/nowhere')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.agent().get(ME, { headers: { 'x-request-id': 'edge-req-42' } });
    expect(kept.headers['x-request-id']).toBe('edge-req-42');
    const forged = await t.agent().get(ME, { headers: { 'x-request-id': 'a b\tc' } });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a client that is not a trusted proxy cannot choose its request id', async () => {
    const direct = await createTestApp({ TRUSTED_PROXIES: '' });
    try {
      const res = await direct.agent().get('/health', { headers: { 'x-request-id': 'chosen-by-client' } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await direct.close();
    }
  });

  it('a JSON body over the route limit is refused with 413 in the face shape, before the route runs', async () => {
    const res = await t.agent().post(LOGIN, { email: 'big@example.com', password: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: ['server.request.body_too_large'] });
    const fine = await t.agent().post(LOGIN, { email: 'big@example.com', password: 'x'.repeat(30 * 1024) });
    expect(fine.status).not.toBe(413);
    const form = await t.agent().send('POST', LOGIN, { form: { email: 'big@example.com', password: 'x'.repeat(70 * 1024) } });
    expect(form.status).toBe(413);
    expect(form.body).toEqual({ errors: ['server.request.body_too_large'] });
  });

  it('LOG_FORMAT=json writes one JSON object per line, with the request id and no secrets', () => {
    const lines: string[] = [];
    const logger = new JsonLogger(['error', 'warn', 'log'], (l) => void lines.push(l));
    logContext.run({ requestId: 'req-7' }, () => {
      logger.warn('login {"email":"a@b.c","password":"Hunter2!x"} Authorization: Bearer abc.def.ghi cookie _barong_session=tok123', 'Auth');
      logger.error('boom', 'Error: boom\n    at x', 'Errors');
    });
    logger.debug('not written', 'Quiet');
    expect(lines).toHaveLength(2);
    const [warn, error] = lines.map((l) => JSON.parse(l));
    expect(warn).toMatchObject({ level: 'warn', context: 'Auth', request_id: 'req-7' });
    expect(warn.message).not.toMatch(/Hunter2|abc\.def|tok123/);
    expect(error).toMatchObject({ level: 'error', context: 'Errors', message: 'boom', request_id: 'req-7', stack: 'Error: boom\n    at x' });
  });
});
