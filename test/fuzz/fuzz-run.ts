import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { ApiKeysService } from '../../src/identity/api-keys/api-keys.service.js';
import { SessionsService } from '../../src/identity/sessions/sessions.service.js';
import type { User } from '../../src/identity/users/user.entity.js';
import { createUser } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { type Answer, shapeProblem } from './face-shapes.js';
import { type FuzzContext, type HostileRequest, hostileRequestArb } from './hostile-requests.js';
import { type Operation, operationsOf } from './openapi-operations.js';
import { TenantsService } from '../../src/identity/tenants/tenants.service.js';
import { createNetwork } from '../support/network.js';

export interface Finding {
  operation: string;
  credential: string;
  request: string;
  status: number;
  problem: string;
}

export interface FuzzReport {
  operations: number;
  requests: number;
  byStatus: Record<string, number>;
  skippedCredentials: string[];
  findings: Finding[];
  /** Findings matched by KNOWN_ISSUE_12_FINDINGS (test/support), by finding. */
}

/** Sends the bytes as they are (fetch would normalise paths and refuse some headers). */
export function sendRaw(baseUrl: string, req: HostileRequest, timeoutMs = 15_000): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body) headers['content-length'] = req.body.length;
    // A fresh connection each time: a refused request (431, 413) closes its socket, which must not fail the next one.
    const r = request({ host: url.hostname, port: url.port, method: req.method, path: req.target, headers, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: -1, headers: {}, text: `response error: ${e.message}` }));
    });
    r.on('timeout', () => r.destroy(new Error('timed out')));
    // A server may answer (413, 400) and close before reading a large body: that is an answer, not a failure.
    r.on('error', (e) => resolve({ status: -1, headers: {}, text: `connection error: ${e.message}` }));
    r.end(req.body);
  });
}

/** Credential kinds: how to sign a request as each, or why the kind is skipped. */
interface Credential {
  name: string;
  apply(req: HostileRequest): HostileRequest;
}

interface Actors {
  member: User;
  admin: User;
  keyholder: User;
}

const USER_AGENT = 'fuzz-agent/1.0';
const CLIENT_IP = '10.77.0.1';

/** Puts the fuzzer's well-known state back (the fuzzer may ban its own users, drop rules, ...). */
async function resetState(t: TestApp, actors: Actors): Promise<void> {
  await t.dataSource.query(`DELETE FROM restrictions`);
  await t.dataSource.query(`DELETE FROM permissions`);
  await t.dataSource.query(`INSERT INTO permissions SELECT * FROM fuzz_permissions_snapshot`);
  for (const [u, role, otp] of [
    [actors.member, 'member', false],
    [actors.admin, 'superadmin', false],
    [actors.keyholder, 'member', true],
  ] as const) {
    await t.dataSource.query(`UPDATE users SET state = 'active', role = $2, otp = $3 WHERE id = $1`, [u.id, role, otp]);
  }
}

async function credentials(t: TestApp, actors: Actors, faces: Set<string>): Promise<{ list: Credential[]; skipped: string[] }> {
  const sessions = t.get(SessionsService);
  const meta = { ip: CLIENT_IP, userAgent: USER_AGENT };
  const cookieCredential = async (name: string, user: User): Promise<Credential> => {
    const opened = await sessions.open(user, meta);
    return {
      name,
      apply: (req) => ({
        ...req,
        headers: { cookie: `${t.config.barong.sessionName}=${opened.token}`, 'x-csrf-token': opened.csrfToken, ...req.headers },
      }),
    };
  };
  const { key, secret } = await t.get(ApiKeysService).create({ kind: 'user', user: actors.keyholder }, { algorithm: 'HS256' });
  let nonce = Date.now();
  const apiKey: Credential = {
    name: 'api key',
    apply: (req) => {
      const n = String(Math.max(Date.now(), ++nonce));
      nonce = Number(n);
      const signature = createHmac('sha256', secret).update(n + key.kid).digest('hex');
      return { ...req, headers: { 'x-auth-apikey': key.kid, 'x-auth-nonce': n, 'x-auth-signature': signature, ...req.headers } };
    },
  };
  const list: Credential[] = [
    { name: 'none', apply: (req) => req },
    await cookieCredential('member', actors.member),
    await cookieCredential('admin', actors.admin),
    apiKey,
  ];
  const skipped: string[] = [];
  const bearer = (name: string, token: string): Credential => ({ name, apply: (req) => ({ ...req, headers: { authorization: `Bearer ${token}`, ...req.headers } }) });
  // The tenant app's secret key (platform face) and a network owner's JWT (network face).
  if (faces.has('platform')) list.push(bearer('app secret key', (await t.get(TenantsService).create('fuzzed tenant')).secretKey));
  else skipped.push('app secret key (platform face absent)');
  if (faces.has('network')) list.push(bearer('network JWT', (await createNetwork(t)).jwt));
  else skipped.push('network JWT (network face absent)');
  return { list, skipped };
}

export interface FuzzOptions {
  seed: number;
  /** Requests per operation and credential kind. */
  runsPerCredential: number;
  /**
   * Past this many milliseconds the remaining operations get `minRuns` requests per credential,
   * so a slow machine still covers every operation within its time.
   */
  budgetMs?: number;
  minRuns?: number;
  /** Operations fuzzed side by side. */
  parallel: number;
  /** Only operations whose "METHOD path" matches. */
  filter?: RegExp;
  log?: (line: string) => void;
}

/** Fuzzes every operation of the service's OpenAPI document; returns what it found. */
export async function fuzzService(t: TestApp, options: FuzzOptions): Promise<FuzzReport> {
  const doc = (await (await fetch(`${t.baseUrl}/docs-json`)).json()) as Parameters<typeof operationsOf>[0];
  const operations = operationsOf(doc).filter((op) => !options.filter || options.filter.test(`${op.method} ${op.path}`));
  const faces = new Set(operations.map((op) => op.face));
  const actors: Actors = {
    member: await createUser(t, { role: 'member' }),
    admin: await createUser(t, { role: 'superadmin' }),
    keyholder: await createUser(t, { role: 'member', otp: true }),
  };
  await t.dataSource.query(`CREATE TABLE IF NOT EXISTS fuzz_permissions_snapshot AS SELECT * FROM permissions`);
  const ctx: FuzzContext = {
    identifiers: [actors.member.uid, actors.admin.uid, actors.keyholder.uid, 'admin', 'member'],
    emails: [actors.member.email!, actors.admin.email!],
  };
  const report: FuzzReport = { operations: operations.length, requests: 0, byStatus: {}, skippedCredentials: [], findings: [] };

  const started = Date.now();
  const fuzzOperation = async (op: Operation, index: number, creds: Credential[]): Promise<void> => {
    const overBudget = options.budgetMs !== undefined && Date.now() - started > options.budgetMs;
    const numRuns = overBudget ? Math.min(options.runsPerCredential, options.minRuns ?? 2) : options.runsPerCredential;
    for (const [c, cred] of creds.entries()) {
      const seed = options.seed + index * 16 + c;
      await fc.assert(
        fc.asyncProperty(hostileRequestArb(op, ctx), async (raw) => {
          const req = cred.apply({ ...raw, headers: { 'user-agent': USER_AGENT, 'x-forwarded-for': CLIENT_IP, ...raw.headers } });
          const answer = await sendRaw(t.baseUrl, req);
          report.requests++;
          report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1;
          let problem: string | undefined;
          if (answer.status === -1) {
            // The server may refuse an oversized body by answering and closing early.
            if (!/EPIPE|ECONNRESET/.test(answer.text) || !req.body || req.body.length < 1024 * 1024) problem = answer.text;
          } else if (answer.status >= 500) problem = `${answer.status}: ${answer.text.slice(0, 300)}`;
          else problem = shapeProblem(op.face, answer);
          if (problem) {
            report.findings.push({
              operation: `${op.method} ${op.path} [${op.face}]`,
              credential: cred.name,
              request: `${req.method} ${req.target.slice(0, 200)} ${req.mutations.join('; ')} (seed ${seed})`,
              status: answer.status,
              problem,
            });
          }
          return true;
        }),
        { numRuns, seed, endOnFailure: true },
      );
    }
  };

  let first = true;
  for (let i = 0; i < operations.length; i += options.parallel) {
    await resetState(t, actors);
    const { list, skipped } = await credentials(t, actors, faces);
    if (first) {
      report.skippedCredentials = skipped;
      first = false;
    }
    const batch = operations.slice(i, i + options.parallel);
    await Promise.all(batch.map((op, k) => fuzzOperation(op, i + k, list)));
    const health = await sendRaw(t.baseUrl, { method: 'GET', target: '/health', headers: {}, mutations: [] }, 5000);
    if (health.status !== 200) {
      report.findings.push({ operation: batch.map((op) => `${op.method} ${op.path}`).join(', '), credential: '-', request: 'GET /health afterwards', status: health.status, problem: health.text.slice(0, 200) });
    }
    options.log?.(`fuzzed ${Math.min(i + options.parallel, operations.length)}/${operations.length} operations, ${report.requests} requests, ${report.findings.length} findings`);
  }
  await resetState(t, actors);
  return report;
}
