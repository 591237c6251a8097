/**
 * Admin API at scale: seeds a scratch database with many users and activities (INSERT ... SELECT
 * generate_series, secondary indexes rebuilt after the load), starts the real application on it,
 * times the admin HTTP queries, and prints each query's plan (EXPLAIN ANALYZE of the SQL the
 * service actually ran).
 *
 *   npm run bench:admin                                   # 1,000,000 users, 10,000,000 activities
 *   BENCH_USERS=100000 BENCH_ACTIVITIES=1000000 npm run bench:admin
 *   BENCH_REUSE=1 npm run bench:admin                     # time again on the database already seeded
 *
 * Seeded activities are loaded as history that predates the hash chain: they carry chain
 * positions (so the metrics rollup and the sealed/unsealed split are what they would be) and a
 * retention checkpoint marks where the chain proper begins; the per-day rollup is built from
 * them with one aggregate. Then BENCH_CHAIN_ROWS (default 100,000) new activities are sealed by
 * the real sealer and verified, and a filtered export is streamed, with their rates and the
 * retained heap during the export.
 *
 * BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server; the scratch
 * database is BENCH_DB (default bench_admin) and is dropped and re-created unless BENCH_REUSE=1.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource, type Logger, type QueryRunner } from 'typeorm';
import { createApp } from '../src/core/app-setup.js';
import { loadConfig } from '../src/core/config/app-config.js';
import { dataSourceOptions, runMigrationsLocked } from '../src/core/database/data-source-options.js';
import { loadMigrations } from '../src/core/database/discover.js';
import { SessionsService } from '../src/identity/sessions/sessions.service.js';
import { User } from '../src/identity/users/user.entity.js';
import { DEFAULT_APP_ID } from '../src/identity/tenants/app.entity.js';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ChainKey } from '../src/core/audit/activity-chain.js';
import { checkpointExtra } from '../src/core/audit/activity-sealer.service.js';
import { ActivitySealer } from '../src/core/audit/activity-sealer.service.js';
import { ActivityChainVerifier } from '../src/core/audit/activity-chain-verifier.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const SECRET_KEY = 'bench-secret-key-0123456789abcdef0123456789';
const CHAIN_ROWS = Number(process.env.BENCH_CHAIN_ROWS ?? 100_000);

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 10_000_000);
const REUSE = process.env.BENCH_REUSE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SERVER_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.BENCH_DB ?? 'bench_admin';
const BUDGET_MS = 50;
const CHUNK = 1_000_000;
/** Seeded data spans this window, ending now. */
const SPAN_DAYS = 365;

const dbUrl = (name: string): string => {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const secs = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Secondary indexes of a table (not the primary key), to drop before a bulk load and rebuild after. */
async function secondaryIndexes(c: pg.Client, table: string): Promise<{ name: string; def: string }[]> {
  const r = await c.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = $1
        AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')`,
    [table],
  );
  return r.rows;
}

async function seed(): Promise<void> {
  const t0 = performance.now();
  await withClient(SERVER_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${DB}"`);
  });
  const ds = await new DataSource(dataSourceOptions(dbUrl(DB), { migrations: await loadMigrations() })).initialize();
  await runMigrationsLocked(ds);
  await ds.destroy();
  console.log(`migrated scratch database ${DB} in ${secs(t0)}`);

  await withClient(dbUrl(DB), async (c) => {
    await c.query(`SET maintenance_work_mem = '1GB'`);
    await c.query(`SET synchronous_commit = off`);
    // Foreign-key triggers off for the load (the rows are consistent by construction).
    await c.query(`SET session_replication_role = replica`);
    // One partition per month of the window (the migration only made the months around now).
    await c.query(
      `SELECT activity_partition_ensure(m::date) FROM generate_series(date_trunc('month', now() - make_interval(days => $1)), now(), interval '1 month') AS m`,
      [SPAN_DAYS + 1],
    );
    const indexes = [...(await secondaryIndexes(c, 'users')), ...(await secondaryIndexes(c, 'activities'))];
    for (const ix of indexes) await c.query(`DROP INDEX "${ix.name}"`);

    // Users: ids are md5(n) so activities can point at user n without a lookup; user n was created
    // n steps into the window (ids and created_at grow together, as UUIDv7 ids do).
    let t = performance.now();
    for (let start = 1; start <= USERS; start += CHUNK) {
      const end = Math.min(USERS, start + CHUNK - 1);
      await c.query(
        `INSERT INTO users (id, app_id, uid, email, username, password_digest, role, level, otp, state, created_at, updated_at)
         SELECT md5(n::text)::uuid, $1, 'ID' || upper(lpad(to_hex(n), 10, '0')), 'user' || n || '@bench.test', NULL, NULL,
                (ARRAY['member','member','member','member','member','member','member','trader','broker','admin'])[1 + n % 10],
                n % 4, n % 7 = 0,
                (ARRAY['active','active','active','active','active','active','pending','pending','locked','banned'])[1 + (n / 10) % 10],
                now() - make_interval(days => $3) + (n::float8 / $2) * make_interval(days => $3),
                now() - make_interval(days => $3) + (n::float8 / $2) * make_interval(days => $3) + make_interval(secs => (n::bigint * 7919) % 2592000)
           FROM generate_series($4::int, $5::int) AS n`,
        [DEFAULT_APP_ID, USERS, SPAN_DAYS, start, end],
      );
    }
    console.log(`users: ${USERS.toLocaleString()} rows in ${secs(t)}`);

    // Activities: 95% user category (Barong's topics and actions, logins dominating), 5% admin
    // category with a target; times uniformly over the window.
    t = performance.now();
    for (let start = 1; start <= ACTIVITIES; start += CHUNK) {
      const end = Math.min(ACTIVITIES, start + CHUNK - 1);
      await c.query(
        `WITH g AS (SELECT n, 1 + (hashint4(n) & 2147483647) % $1 AS u, (hashint4(n + 7) & 2147483647) % 100 AS k FROM generate_series($3::int, $4::int) AS n)
         INSERT INTO activities (seq, user_id, target_uid, category, user_ip, user_ip_country, user_agent, topic, action, result, data, created_at)
         SELECT n, md5(u::text)::uuid,
                CASE WHEN k >= 95 THEN 'ID' || upper(lpad(to_hex(1 + (hashint4(n + 13) & 2147483647) % $1), 10, '0')) END,
                CASE WHEN k >= 95 THEN 'admin' ELSE 'user' END,
                '10.' || (n % 250) || '.' || (u % 250) || '.1', NULL, 'Mozilla/5.0 (bench)',
                CASE WHEN k < 55 THEN 'session' WHEN k < 60 THEN 'account' WHEN k < 70 THEN 'password' WHEN k < 80 THEN 'otp'
                     WHEN k < 95 THEN 'session' WHEN k < 98 THEN 'users' ELSE 'labels' END,
                CASE WHEN k < 50 THEN 'login' WHEN k < 55 THEN 'login::2fa' WHEN k < 60 THEN 'signup' WHEN k < 70 THEN 'password reset'
                     WHEN k < 80 THEN 'enable 2FA' WHEN k < 95 THEN 'logout' WHEN k < 98 THEN 'update' ELSE 'create' END,
                CASE WHEN k < 8 THEN 'failed' WHEN k >= 97 THEN 'denied' ELSE 'succeed' END,
                CASE WHEN k < 8 THEN '{"reason":"Invalid Email or Password"}' END,
                now() - ((hashint4(n + 29) & 2147483647)::float8 / 2147483647) * make_interval(days => $2)
           FROM g`,
        [USERS, SPAN_DAYS, start, end],
      );
      process.stdout.write(`\ractivities: ${end.toLocaleString()} rows (${secs(t)})`);
    }
    process.stdout.write('\n');

    t = performance.now();
    await c.query(`SET max_parallel_maintenance_workers = 2`);
    // A partitioned table's definition reads `ON ONLY` (the parent alone): build it on every partition.
    for (const ix of indexes) await c.query(ix.def.replace(' ON ONLY ', ' ON '));
    console.log(`rebuilt ${indexes.length} secondary indexes in ${secs(t)}`);
    t = performance.now();
    await c.query(
      `INSERT INTO activity_daily_counts (day, category, topic, action, result, n)
       SELECT (created_at AT TIME ZONE 'UTC')::date, category, topic, action, result, count(*) FROM activities GROUP BY 1, 2, 3, 4, 5`,
    );
    const key = new ChainKey(SECRET_KEY);
    const start = randomBytes(32);
    const at = String(ACTIVITIES);
    await c.query(`INSERT INTO activity_checkpoints (seq, hash, dropped, reason, mac) VALUES ($1, $2, '[]', 'retention', $3)`, [
      at,
      start,
      key.mark('checkpoint', at, start, checkpointExtra('retention', [])),
    ]);
    await c.query(`INSERT INTO activity_chain_head (id, seq, hash, mac) VALUES (1, $1, $2, $3)`, [at, start, key.mark('head', at, start)]);
    console.log(`metrics rollup and chain start in ${secs(t)}`);
    t = performance.now();
    await c.query(`VACUUM (ANALYZE) users`);
    await c.query(`VACUUM (ANALYZE) activities`);
    console.log(`vacuum analyze in ${secs(t)}`);
  });
  console.log(`seeded in ${secs(t0)}`);
}

/** Captures the SQL the application runs, to EXPLAIN it afterwards. */
class CapturingLogger implements Logger {
  queries: { sql: string; params: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[], _runner?: QueryRunner): void {
    this.queries.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

interface Case {
  name: string;
  path: string;
}

async function time(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: dbUrl(DB),
    RUN_MIGRATIONS: 'false',
    SECRET_KEY,
    ACTIVITY_SEAL_INTERVAL_MS: '0',
    ACTIVITY_MAINTENANCE_INTERVAL_MS: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-admin-')),
    OUTBOX_POLL_MS: '0',
    ADMIN_EMAIL: 'bench-admin@bench.test',
    ADMIN_PASSWORD: 'B3nch!Passw0rd#Long',
  });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const ds = app.get(DataSource);
  const admin = await ds.getRepository(User).findOneByOrFail({ email: config.adminEmail });
  const session = await app.get(SessionsService).open(admin, { ip: '127.0.0.1', userAgent: 'bench' });
  const headers = { cookie: `${config.barong.sessionName}=${session.token}`, 'user-agent': 'bench' };

  const pick = await ds.query(
    `SELECT u.uid, u.email FROM users u WHERE u.email LIKE '%@bench.test' ORDER BY u.id OFFSET $1 LIMIT 1`,
    [Math.floor(USERS / 3)],
  );
  const { uid, email } = pick[0] as { uid: string; email: string };
  const [{ t: targetUid }] = await ds.query(`SELECT target_uid AS t FROM activities WHERE category = 'admin' LIMIT 1`);
  const now = Math.floor(Date.now() / 1000);
  const day = 86_400;
  const cases: Case[] = [
    { name: 'users: unfiltered, page 1', path: '/users' },
    { name: 'users: unfiltered, page 50', path: '/users?page=50' },
    { name: 'users: email', path: `/users?email=${encodeURIComponent(email)}` },
    { name: 'users: uid', path: `/users?uid=${uid}` },
    { name: 'users: created, one day', path: `/users?from=${now - 100 * day}&to=${now - 99 * day}` },
    { name: 'users: updated, one day', path: `/users?range=updated&from=${now - 100 * day}&to=${now - 99 * day}` },
    { name: 'users: created, 90 days, newest first', path: `/users?from=${now - 90 * day}&order_by=created_at&ordering=desc` },
    { name: 'users: state=banned, role=admin', path: '/users?state=banned&role=admin' },
    { name: 'users: extended, page 1', path: '/users?extended=true' },
    { name: 'users/:uid (UserWithKYC)', path: `/users/${uid}` },
    { name: 'activities: unfiltered', path: '/activities' },
    { name: 'activities: topic=session', path: '/activities?topic=session' },
    { name: 'activities: topic=password, action', path: `/activities?topic=password&action=${encodeURIComponent('password reset')}` },
    { name: 'activities: uid', path: `/activities?uid=${uid}` },
    { name: 'activities: email', path: `/activities?email=${encodeURIComponent(email)}` },
    { name: 'activities: one hour', path: `/activities?from=${now - 30 * day}&to=${now - 30 * day + 3600}` },
    { name: 'activities: one day, topic=otp', path: `/activities?topic=otp&from=${now - 30 * day}&to=${now - 29 * day}` },
    { name: 'activities: 30 days, page 10', path: `/activities?from=${now - 30 * day}&page=10` },
    { name: 'activities/admin: unfiltered', path: '/activities/admin' },
    { name: 'activities/admin: target_uid', path: `/activities/admin?target_uid=${targetUid}` },
    { name: 'activities/admin: topic=users', path: '/activities/admin?topic=users' },
    { name: 'activities/admin: one day', path: `/activities/admin?from=${now - 10 * day}&to=${now - 9 * day}` },
    { name: 'metrics: one day', path: `/metrics?created_from=${now - 2 * day}&created_to=${now - day}` },
    { name: 'metrics: 7 days', path: `/metrics?created_from=${now - 7 * day}&created_to=${now}` },
    { name: 'metrics: 30 days', path: `/metrics?created_from=${now - 30 * day}&created_to=${now}` },
    { name: 'metrics: all time', path: '/metrics' },
  ];

  const logger = new CapturingLogger();
  (ds as unknown as { logger: Logger }).logger = logger;
  const results: { name: string; median: number; max: number; total: string; rows: number; sql: { sql: string; params: unknown[] }[] }[] = [];
  for (const c of cases) {
    const url = `${base}/api/v2/barong/admin${c.path}`;
    const first = await fetch(url, { headers });
    if (first.status !== 200) throw new Error(`${c.name}: HTTP ${first.status} ${await first.text()}`);
    const body = (await first.json()) as unknown;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      logger.queries = [];
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const rows = Array.isArray(body) ? body.length : Object.keys(body as object).length;
    results.push({
      name: c.name,
      median: times[Math.floor(times.length / 2)]!,
      max: times[times.length - 1]!,
      total: first.headers.get('total') ?? '-',
      rows,
      sql: logger.queries.filter((q) => /^\s*SELECT/i.test(q.sql) && !/sessions|EXPLAIN/i.test(q.sql)),
    });
  }
  (ds as unknown as { logger: Logger }).logger = new CapturingLogger();

  console.log(`\nadmin HTTP queries over ${USERS.toLocaleString()} users and ${ACTIVITIES.toLocaleString()} activities (${RUNS} runs each, ms)`);
  console.log(`${'query'.padEnd(44)} ${'median'.padStart(7)} ${'max'.padStart(7)} ${'rows'.padStart(5)}  Total`);
  for (const r of results) {
    const flag = r.median > BUDGET_MS ? '  > budget' : '';
    console.log(`${r.name.padEnd(44)} ${r.median.toFixed(1).padStart(7)} ${r.max.toFixed(1).padStart(7)} ${String(r.rows).padStart(5)}  ${r.total}${flag}`);
  }

  if (process.env.BENCH_EXPLAIN !== '0') {
    console.log('\nplans (EXPLAIN ANALYZE of the statements each request ran; the session lookup left out)');
    for (const r of results) {
      console.log(`\n=== ${r.name}`);
      for (const q of r.sql) {
        const plan = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql}`, q.params)) as { 'QUERY PLAN': string }[];
        console.log(`-- ${q.sql.replace(/\s+/g, ' ').slice(0, 160)}${q.sql.length > 160 ? ' ...' : ''}`);
        for (const line of plan) console.log(`   ${line['QUERY PLAN']}`);
      }
    }
  }
  await chainAndExport(app.get(DataSource), base, headers, app.get(ActivitySealer), app.get(ActivityChainVerifier));
  await app.close();
}

/** Seals and verifies fresh activities with the real sealer; streams a filtered export. */
async function chainAndExport(ds: DataSource, base: string, headers: Record<string, string>, sealer: ActivitySealer, verifier: ActivityChainVerifier): Promise<void> {
  console.log('');
  await sealer.sealAll(); // whatever the timing run wrote
  await ds.query(
    `INSERT INTO activities (user_id, category, user_ip, user_agent, topic, action, result, created_at)
     SELECT NULL, 'user', '10.0.0.' || (n % 250), 'Mozilla/5.0 (bench)', 'session', 'login', 'succeed', now() - make_interval(secs => n::float8 / 1000)
       FROM generate_series(1, $1::int) AS n`,
    [CHAIN_ROWS],
  );
  let t = performance.now();
  const sealed = await sealer.sealAll();
  const sealMs = performance.now() - t;
  console.log(`sealing: ${sealed.toLocaleString()} activities in ${(sealMs / 1000).toFixed(1)} s (${Math.round(sealed / (sealMs / 1000)).toLocaleString()}/s)`);
  t = performance.now();
  const result = await verifier.verify();
  const verifyMs = performance.now() - t;
  console.log(
    `verify: valid=${result.valid} checked ${result.checked.toLocaleString()} entries from checkpoint ${result.from_seq} in ${(verifyMs / 1000).toFixed(1)} s (${Math.round(result.checked / (verifyMs / 1000)).toLocaleString()}/s)`,
  );

  for (const query of [`format=csv&topic=otp`, `format=ndjson&topic=password&action=${encodeURIComponent('password reset')}`]) {
    gc();
    const heapBase = process.memoryUsage().heapUsed;
    let peak = heapBase;
    let bytes = 0;
    let sampled = 0;
    let lines = 0;
    t = performance.now();
    const res = await fetch(`${base}/api/v2/barong/admin/activities/export?${query}`, { headers });
    if (res.status !== 200) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
    let firstByteMs = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!bytes) firstByteMs = performance.now() - t;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines++;
      if (bytes - sampled > 64 * 1024 * 1024) {
        sampled = bytes;
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    const s = (performance.now() - t) / 1000;
    console.log(
      `export ${query}: ${lines.toLocaleString()} lines, ${(bytes / 1048576).toFixed(0)} MiB in ${s.toFixed(1)} s ` +
        `(${Math.round(lines / s).toLocaleString()} rows/s, first byte ${firstByteMs.toFixed(0)} ms), retained heap growth at most ${((peak - heapBase) / 1048576).toFixed(1)} MiB`,
    );
  }
}

if (!REUSE) await seed();
await time();
