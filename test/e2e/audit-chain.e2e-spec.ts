import { ActivitiesService } from '../../src/core/audit/activities.service.js';
import { ActivityPartitions } from '../../src/core/audit/activity-partitions.service.js';
import { ActivitySealer } from '../../src/core/audit/activity-sealer.service.js';
import { ActivityChainVerifier } from '../../src/core/audit/activity-chain-verifier.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const VERIFY = '/api/v2/barong/admin/activities/verify';
const meta = { ip: '198.51.100.9', userAgent: 'audit-test/1.0' };

describe('tamper-evident activity log', () => {
  let t: TestApp;
  let auditor: Agent;

  const record = (topic: string, n = 1): Promise<void[]> =>
    Promise.all(Array.from({ length: n }, (_, i) => t.get(ActivitiesService).record({ userId: null, topic, action: `a${i}`, result: 'succeed', meta })));
  const seal = (): Promise<number> => t.get(ActivitySealer).sealAll();
  const verify = async (): Promise<any> => {
    const res = await auditor.get(VERIFY);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Two sealed rows of the chain, by position. */
  const rowAt = async (seq: number): Promise<{ id: string; created_at: Date; seq: string; hash: Buffer }> =>
    (await t.dataSource.query(`SELECT id::text, created_at, seq::text, hash FROM activities WHERE seq = $1`, [seq]))[0];

  beforeEach(async () => {
    t = await createTestApp();
    auditor = (await agentWithRole(t, 'auditor')).agent;
    await record('chain', 20);
    expect(await seal()).toBeGreaterThanOrEqual(20);
  });
  afterEach(() => t.close());

  it('seals every activity into the chain and verifies it as valid', async () => {
    const body = await verify();
    expect(body).toMatchObject({ valid: true, first_invalid: null, unsealed: 0 });
    expect(body.checked).toBe(Number(body.head_seq));
    expect(body.checked).toBeGreaterThanOrEqual(20);
    // The verification itself is an admin activity (sealed later).
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM activities WHERE topic = 'activities' AND action = 'verify'`);
    expect(n).toBe(1);
  });

  it('reports a row edited with SQL', async () => {
    const victim = await rowAt(7);
    await t.dataSource.query(`UPDATE activities SET result = 'failed' WHERE id = $1`, [victim.id]);
    const body = await verify();
    expect(body).toMatchObject({ valid: false, checked: 6, first_invalid: { seq: '7', id: victim.id, reason: 'altered' } });
  });

  it('reports a row deleted with SQL, also at the end of the chain', async () => {
    const victim = await rowAt(5);
    await t.dataSource.query(`DELETE FROM activities WHERE id = $1`, [victim.id]);
    expect(await verify()).toMatchObject({ valid: false, checked: 4, first_invalid: { seq: '5', id: null, reason: 'deleted' } });
    await t.dataSource.query(`DELETE FROM activities WHERE seq >= 5`);
    const head = (await verify()).head_seq;
    expect(await verify()).toMatchObject({ valid: false, first_invalid: { seq: '5', reason: 'deleted' } });
    expect(Number(head)).toBeGreaterThan(5);
  });

  it('reports a row inserted with SQL at a sealed position', async () => {
    const real = await rowAt(9);
    const [forged] = await t.dataSource.query(
      `INSERT INTO activities (user_id, category, user_ip, user_agent, topic, action, result, created_at, seq, hash)
       SELECT NULL, 'user', '203.0.113.66', 'forger', 'chain', 'a0', 'succeed', created_at, seq, hash FROM activities WHERE id = $1
       RETURNING id::text`,
      [real.id],
    );
    const body = await verify();
    expect(body.valid).toBe(false);
    expect(body.first_invalid).toMatchObject({ seq: '9', reason: 'inserted' });
    expect([forged.id, real.id]).toContain(body.first_invalid.id);
    expect(body.checked).toBeGreaterThanOrEqual(8);
  });

  it('the verifier npm run audit:verify runs catches a tampered chain head', async () => {
    const verifier = t.get(ActivityChainVerifier);
    expect((await verifier.verify()).valid).toBe(true);
    await t.dataSource.query(`UPDATE activity_chain_head SET seq = seq + 1`);
    expect((await verifier.verify()).first_invalid).toMatchObject({ reason: 'head_altered' });
  });

  it('only auditors and superadmins may verify or export', async () => {
    const admin = (await agentWithRole(t, 'admin')).agent;
    expect((await admin.get(VERIFY)).status).toBe(401);
    expect((await admin.get('/api/v2/barong/admin/activities/export', { query: { format: 'csv' } })).status).toBe(401);
    const superadmin = (await agentWithRole(t, 'superadmin')).agent;
    expect((await superadmin.get(VERIFY)).status).toBe(200);
    const member = (await agentWithRole(t, 'member')).agent;
    expect((await member.get(VERIFY)).status).toBe(401);
  });

  it('dropping old months keeps verification working from the retention checkpoint', async () => {
    const partitions = t.get(ActivityPartitions);
    const now = new Date();
    const old = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 10));
    const older = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 10));
    await partitions.ensureMonth(old);
    await partitions.ensureMonth(older);
    // Fresh rows dated into the old months, sealed before and after the recent ones.
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM activities`))[0].n;
    await t.dataSource.query(
      `INSERT INTO activities (category, user_ip, user_agent, topic, action, result, created_at)
       SELECT 'user', '192.0.2.1', 'old', 'old', 'a', 'succeed', $1::timestamptz + i * interval '1 minute' FROM generate_series(1, 30) i`,
      [old],
    );
    await seal();
    await t.dataSource.query(
      `INSERT INTO activities (category, user_ip, user_agent, topic, action, result, created_at)
       SELECT 'user', '192.0.2.1', 'old', 'old', 'b', 'succeed', $1::timestamptz + i * interval '1 minute' FROM generate_series(1, 5) i`,
      [older],
    );
    await record('recent', 3);
    await seal();
    expect((await verify()).valid).toBe(true);

    const dropped = await partitions.applyRetention(2, now);
    expect(dropped.sort()).toEqual([old, older].map((d) => `activities_p${d.toISOString().slice(0, 7).replace('-', '')}`).sort());
    expect((await partitions.partitions()).map((p) => p.name)).not.toContain(dropped[0]);
    const after = await verify();
    expect(after).toMatchObject({ valid: true, first_invalid: null });
    expect(after.checked).toBe(before + 3 + 1); // the recent rows and one verify activity; the old months are gone
    // The old rows were sealed after the recent ones: the checkpoint keeps their hashes to link across.
    const [checkpoint] = await t.dataSource.query(`SELECT seq::text, jsonb_array_length(dropped) AS dropped FROM activity_checkpoints WHERE reason = 'retention'`);
    expect(checkpoint).toEqual({ seq: after.from_seq, dropped: 35 });

    // Tampering after the drop is still caught.
    await t.dataSource.query(`UPDATE activities SET user_agent = 'x' WHERE topic = 'recent' AND action = 'a1'`);
    expect((await verify()).first_invalid).toMatchObject({ reason: 'altered' });
    await t.dataSource.query(`UPDATE activities SET user_agent = 'audit-test/1.0' WHERE topic = 'recent' AND action = 'a1'`);
    expect((await verify()).valid).toBe(true);
  });

  it('a second retention run moves the checkpoint up to the oldest kept entry', async () => {
    const partitions = t.get(ActivityPartitions);
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 3));
    await partitions.applyRetention(1, now); // nothing older than last month: nothing to drop
    await t.dataSource.query(
      `INSERT INTO activities (category, user_ip, user_agent, topic, action, result, created_at)
       SELECT 'user', '192.0.2.1', 'next', 'next', 'a', 'succeed', $1::timestamptz + i * interval '1 minute' FROM generate_series(1, 12) i`,
      [next],
    );
    await seal();
    const [{ first }] = await t.dataSource.query(`SELECT min(seq)::text AS first FROM activities WHERE topic = 'next'`);
    // Seen from two months on, this month is old: it goes, next month's rows stay.
    const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 15));
    expect(await partitions.applyRetention(1, later)).toContain(`activities_p${now.toISOString().slice(0, 7).replace('-', '')}`);
    const body = await verify();
    expect(body).toMatchObject({ valid: true, from_seq: String(BigInt(first) - 1n) });
    expect(body.checked).toBeGreaterThanOrEqual(12);
    const checkpoints = await t.dataSource.query(`SELECT seq::text, reason FROM activity_checkpoints ORDER BY seq`);
    expect(checkpoints[0]).toEqual({ seq: String(BigInt(first) - 1n), reason: 'retention' });
    await t.dataSource.query(`DELETE FROM activities WHERE topic = 'next' AND seq = $1`, [BigInt(first) + 3n]);
    expect((await verify()).first_invalid).toMatchObject({ seq: String(BigInt(first) + 3n), reason: 'deleted' });
  });
});
