import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ActivitySealer } from '../../src/core/audit/activity-sealer.service.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const EXPORT = '/api/v2/barong/admin/activities/export';
const ROWS = 200_000;

setFlagsFromString('--expose-gc');
/** A full collection, so heap figures count what is retained, not garbage awaiting collection. */
const gc = runInNewContext('gc') as () => void;

describe('activity export and metrics rollup', () => {
  let t: TestApp;
  let auditor: Agent;
  let superadmin: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    auditor = (await agentWithRole(t, 'auditor')).agent;
    superadmin = (await agentWithRole(t, 'superadmin')).agent;
    // A large filtered set (topic "bulk") among other rows, long user agents so the body is large.
    await t.dataSource.query(
      `INSERT INTO activities (category, user_ip, user_agent, topic, action, result, data, created_at)
       SELECT 'user', '192.0.2.' || (i % 250), repeat('agent-', 40), CASE WHEN i % 10 = 0 THEN 'other' ELSE 'bulk' END, 'a' || (i % 7), 'succeed',
              '{"n":' || i || ',"note":"comma, and ""quote"""}', now() - interval '1 day' + i * interval '1 millisecond'
         FROM generate_series(1, $1) i`,
      [ROWS],
    );
  }, 120_000);
  afterAll(() => t.close());

  /** Streams the body, counting lines, while sampling the retained heap (the app runs in this process) every few MB. */
  const stream = async (query: Record<string, string>): Promise<{ status: number; type: string; lines: number; bytes: number; first: string[]; peakHeapGrowth: number }> => {
    gc();
    const base = process.memoryUsage().heapUsed;
    let sampledAt = 0;
    let peak = base;
    const url = new URL(`${t.baseUrl}${EXPORT}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const res = await fetch(url, {
      headers: { cookie: `${t.config.barong.sessionName}=${auditor.cookies.get(t.config.barong.sessionName)}`, 'user-agent': auditor.userAgent, 'x-forwarded-for': auditor.ip },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let lines = 0;
    let bytes = 0;
    let head = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      const text = decoder.decode(value, { stream: true });
      if (head.length < 4000) head += text;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      if (bytes - sampledAt > 8 * 1024 * 1024) {
        sampledAt = bytes;
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', lines, bytes, first: head.split('\n').slice(0, 3), peakHeapGrowth: peak - base };
  };

  it('streams a large filtered set as CSV with flat memory, and records the export', async () => {
    const csv = await stream({ format: 'csv', topic: 'bulk' });
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.lines).toBe(1 + ROWS * 0.9);
    expect(csv.first[0]).toBe('id,seq,created_at,category,user_uid,target_uid,user_ip,user_ip_country,user_agent,topic,action,result,data');
    expect(csv.first[1]).toContain(',"{""n"":1,""note"":""comma, and """"quote""""""}"');
    // The body is far larger than what the server ever holds.
    expect(csv.bytes).toBeGreaterThan(60 * 1024 * 1024);
    expect(csv.peakHeapGrowth).toBeLessThan(16 * 1024 * 1024);
    const [audit] = await t.dataSource.query(`SELECT category, data FROM activities WHERE topic = 'activities' AND action = 'export'`);
    expect(audit.category).toBe('admin');
    expect(JSON.parse(audit.data)).toEqual({ format: 'csv', topic: 'bulk' });
  }, 120_000);

  it('NDJSON with the list filters; no match gives an empty export; bad format is a 422', async () => {
    const user = await createUser(t);
    await t.dataSource.query(`UPDATE activities SET user_id = $1 WHERE topic = 'other' AND data LIKE '{"n":10,%'`, [user.id]);
    const res = await auditor.get(EXPORT, { query: { format: 'ndjson', uid: user.uid } });
    expect(res.status).toBe(200);
    const rows = res.text.trim().split('\n').map((l: string) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: 'other', user_uid: user.uid, category: 'user', seq: null });
    const none = await auditor.get(EXPORT, { query: { format: 'ndjson', email: 'nobody@example.com' } });
    expect(none.status).toBe(200);
    expect(none.text).toBe('');
    const bad = await auditor.get(EXPORT, { query: { format: 'xml' } });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ errors: ['admin.activity.invalid_format'] });
    expect((await auditor.get(EXPORT)).body).toEqual({ errors: ['admin.activity.missing_format'] });
  });

  it('metrics come from the rollup once sealed, and agree with the live count before', async () => {
    const day = '2021-03-04';
    await t.dataSource.query(`DELETE FROM activities WHERE topic IN ('bulk', 'other')`); // keeps the sealing below short
    await t.dataSource.query(
      `INSERT INTO activities (category, user_ip, user_agent, topic, action, result, created_at)
       SELECT 'user', '192.0.2.1', 'm', 'session', 'login', CASE WHEN i % 4 = 0 THEN 'failed' ELSE 'succeed' END, $1::timestamptz + i * interval '1 minute'
         FROM generate_series(1, 40) i`,
      [`${day}T00:00:00Z`],
    );
    const range = { created_from: String(Date.parse('2021-03-01T00:00:00Z') / 1000), created_to: String(Date.parse('2021-03-10T00:00:00Z') / 1000 - 1) };
    const live = (await superadmin.get('/api/v2/barong/admin/metrics', { query: range })).body;
    expect(live).toMatchObject({ sucessful_logins: { [day]: 30 }, failed_logins: { [day]: 10 } });
    await t.get(ActivitySealer).sealAll();
    const [rollup] = await t.dataSource.query(`SELECT n::int FROM activity_daily_counts WHERE day = $1 AND topic = 'session' AND result = 'failed'`, [day]);
    expect(rollup.n).toBe(10);
    const sealed = (await superadmin.get('/api/v2/barong/admin/metrics', { query: range })).body;
    expect(sealed).toEqual(live);
    // A range that starts mid-day counts that partial day from the rows.
    const partial = (await superadmin.get('/api/v2/barong/admin/metrics', { query: { created_from: String(Date.parse(`${day}T00:20:30Z`) / 1000) } })).body;
    expect(partial.sucessful_logins[day] + partial.failed_logins[day]).toBe(20);
  }, 120_000);
});
