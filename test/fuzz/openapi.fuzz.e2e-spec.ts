import { jest } from '@jest/globals';
import { agentWithRole, createUser, STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';
import { fuzzService, type FuzzReport } from './fuzz-run.js';

/**
 * Hostile input on every operation of every face, driven by the OpenAPI document: no 5xx, every
 * error in its face's shape, and the service still serves afterwards. `npm test` runs a bounded,
 * fixed-seed pass (fewer requests per operation once 45 s have gone, so a busy machine still
 * covers every operation); `npm run fuzz` runs long (FUZZ_RUNS per operation and credential, FUZZ_SEED or
 * jest's --seed to reproduce, FUZZ_FILTER to narrow to operations matching a pattern).
 */
const long = process.env.FUZZ_LONG === '1';
const seed = Number(process.env.FUZZ_SEED ?? (long ? jest.getSeed() : 13_013));
const runs = Number(process.env.FUZZ_RUNS ?? (long ? 200 : 8));
const filter = process.env.FUZZ_FILTER ? new RegExp(process.env.FUZZ_FILTER) : undefined;

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let report: FuzzReport;
  jest.setTimeout(long ? 24 * 3600_000 : 300_000);

  beforeAll(async () => {
    t = await createTestApp({ BARONG_LOGIN_MAX_FAILURES_PER_IP: '1000000', BARONG_LOGIN_MAX_FAILURES_PER_EMAIL: '1000000' });
    report = await fuzzService(t, { seed, runsPerCredential: runs, parallel: 4, filter, budgetMs: long ? undefined : 45_000, minRuns: 2, log: long ? (l) => process.stdout.write(l + '\n') : undefined });
    process.stdout.write(
      `fuzz seed ${seed}: ${report.requests} requests over ${report.operations} operations, statuses ${JSON.stringify(report.byStatus)}, ` +
        `${report.findings.length} findings; skipped credentials: ${report.skippedCredentials.join('; ')}\n`,
    );
  });
  afterAll(() => t.close());

  it('covers every face in the document with every credential kind it has', () => {
    expect(report.operations).toBeGreaterThan(50);
    expect(report.requests).toBeGreaterThanOrEqual(report.operations * 4 * Math.min(runs, 2));
  });

  it('answers no request with a 5xx and every error in its face shape', () => {
    expect(report.findings.slice(0, 40)).toEqual([]);
  });

  it('still serves afterwards: health, a login and the signed-in user', async () => {
    expect((await t.agent().get('/health')).status).toBe(200);
    const user = await createUser(t, { emailVerified: true });
    const agent = t.agent();
    const login = await agent.post('/api/v2/barong/identity/sessions', { email: user.email, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
    const me = await agent.get('/api/v2/barong/resource/users/me');
    expect(me.status).toBe(200);
    expect(me.body.uid).toBe(user.uid);
    const { agent: admin } = await agentWithRole(t, 'superadmin');
    expect((await admin.get('/api/v2/barong/admin/users')).status).toBe(200);
  });
});
