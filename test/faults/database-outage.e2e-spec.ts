import pg from 'pg';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const LABELS = '/api/v2/barong/admin/users/labels';

describe('PostgreSQL connections killed mid-load', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 in the face shape during the outage, recovers within 5 s, and keeps every write it answered 2xx', async () => {
    const { agent: admin } = await agentWithRole(t, 'superadmin');
    const target = await createUser(t);
    const database = new URL(t.databaseUrl).pathname.slice(1);
    const killer = new pg.Client({ connectionString: t.databaseUrl });
    await killer.connect();
    const killAll = async (): Promise<number> => {
      const rows = await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
      return rows.rowCount ?? 0;
    };

    const answered: { key: string; status: number; at: number; text: string }[] = [];
    let n = 0;
    const started = Date.now();
    let outageEnd = Infinity;
    const writer = async (): Promise<void> => {
      while (Date.now() - started < 5000) {
        const key = `label-${n++}`;
        const res = await admin.post(LABELS, { uid: target.uid, key, value: 'value', scope: 'public' });
        answered.push({ key, status: res.status, at: Date.now(), text: res.text });
      }
    };
    const outage = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 800));
      let killed = 0;
      // About a second of outage: every connection the pool makes is killed again.
      const until = Date.now() + 1000;
      while (Date.now() < until) {
        killed += await killAll();
        await new Promise((r) => setTimeout(r, 20));
      }
      outageEnd = Date.now();
      expect(killed).toBeGreaterThan(0);
    };
    await Promise.all([writer(), writer(), writer(), writer(), outage()]);
    await killer.end();

    const ok = answered.filter((a) => a.status === 200);
    const failed = answered.filter((a) => a.status !== 200);
    const unexpected = failed.filter((a) => {
      return !(a.status === 503 && /^\{"errors":\["[a-z_.]+"\]\}$/.test(a.text));
    });
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    // Recovered by itself: the first success after the outage came within 5 s.
    const firstAfter = ok.find((a) => a.at > outageEnd);
    expect(firstAfter).toBeDefined();
    expect(firstAfter!.at - outageEnd).toBeLessThan(5000);
    // Every write answered 2xx is there, with its activity.
    const rows: { key: string }[] = await t.dataSource.query(`SELECT key FROM labels WHERE user_id = $1`, [target.id]);
    const stored = new Set(rows.map((r) => r.key));
    expect(ok.filter((a) => !stored.has(a.key)).map((a) => a.key)).toEqual([]);
    const audited: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM activities WHERE target_uid = $1 AND category = 'admin' AND result = 'succeed'`, [target.uid]);
    expect(audited[0]!.n).toBe(stored.size);
    process.stdout.write(`database outage: ${answered.length} writes, ${ok.length} answered 200 (all stored), ${failed.length} refused (${[...new Set(failed.map((f) => f.status))].join(', ')}), first success ${firstAfter!.at - outageEnd} ms after the outage\n`);
  });
});
