/**
 * users/search at scale: seeds a scratch database with one tenant app of 1,000,000 users (each with
 * an e-mail, a phone number and the shared identity row; INSERT ... SELECT generate_series,
 * secondary indexes rebuilt after the load), starts the real application on it and times
 * `POST /v1/auth/users/search` over HTTP with the filters SDKs use, printing each plan.
 *
 *   npm run bench:platform:seed                      # 1,000,000 users
 *   BENCH_USERS=100000 npm run bench:platform:seed
 *   BENCH_REUSE=1 npm run bench:platform:seed        # time again on the database already seeded
 *
 * BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server; the scratch
 * database is BENCH_DB (default bench_platform).
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource, type Logger } from 'typeorm';
import { createApp } from '../src/core/app-setup.js';
import { loadConfig } from '../src/core/config/app-config.js';
import { dataSourceOptions, runMigrationsLocked } from '../src/core/database/data-source-options.js';
import { loadMigrations } from '../src/core/database/discover.js';
import { toPublicId } from '../src/core/database/public-id.js';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const REUSE = process.env.BENCH_REUSE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SERVER_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.BENCH_DB ?? 'bench_platform';
const BUDGET_MS = 50;
const CHUNK = 250_000;
const SPAN_DAYS = 365;
const APP_ID = '01890000-0000-7000-8000-00000000b001';
const SECRET_KEY = 'sk_test_' + 'B'.repeat(48);

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

/** User n was created n steps into the window that ends when the seeding started ($6). */
const CREATED = `$6::timestamptz - make_interval(days => $2) + (n::float8 / $1) * make_interval(days => $2)`;
/** User n: its id is a UUIDv7 whose time is its created_at, so ids and creation times grow together. */
const ID = (n: string): string =>
  `(lpad(to_hex((extract(epoch FROM $6::timestamptz - make_interval(days => $2) + (${n}::float8 / $1) * make_interval(days => $2)) * 1000)::bigint), 12, '0') || '7' || substr(md5(${n}::text), 1, 3) || '8' || substr(md5(${n}::text), 4, 15))::uuid`;

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
    await c.query(`SET session_replication_role = replica`);
    await c.query(`INSERT INTO apps (id, slug, name, secret_key_hash, public_token, status) VALUES ($1, 'bench', 'Bench', $2, $3, 'active')`, [
      APP_ID,
      createHash('sha256').update(SECRET_KEY).digest('hex'),
      'pk_test_' + 'b'.repeat(48),
    ]);
    const seededAt = new Date().toISOString();
    const tables = ['users', 'platform_users', 'platform_emails', 'platform_phone_numbers'];
    const indexes: { name: string; def: string }[] = [];
    for (const table of tables) {
      const r = await c.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')`,
        [table],
      );
      indexes.push(...r.rows);
    }
    for (const ix of indexes) await c.query(`DROP INDEX "${ix.name}"`);
    const t = performance.now();
    for (let start = 1; start <= USERS; start += CHUNK) {
      const end = Math.min(USERS, start + CHUNK - 1);
      const created = CREATED;
      const args = [USERS, SPAN_DAYS, start, end, APP_ID, seededAt];
      await c.query(
        `INSERT INTO users (id, app_id, uid, email, phone_number, role, level, otp, state, created_at, updated_at)
         SELECT ${ID('n')}, $5, 'PB' || upper(lpad(to_hex(n), 10, '0')), 'user' || n || '@bench.test', '+1415' || lpad(n::text, 7, '0'),
                'member', 0, false, CASE WHEN n % 10 = 0 THEN 'pending' ELSE 'active' END, ${created}, ${created}
           FROM generate_series($3::int, $4::int) AS n`,
        args,
      );
      await c.query(
        `INSERT INTO platform_users (id, app_id, first_name, middle_name, last_name, status, created_at, updated_at)
         SELECT ${ID('n')}, $5, (ARRAY['Ann','Bob','Cid','Dee','Eve','Fay','Gus','Hal'])[1 + n % 8], '', 'Bench' || (n % 1000),
                CASE WHEN n % 10 = 0 THEN 'pending' ELSE 'active' END, ${created}, ${created} + make_interval(secs => (n::bigint * 7919) % 2592000)
           FROM generate_series($3::int, $4::int) AS n`,
        args,
      );
      await c.query(
        `INSERT INTO platform_emails (id, app_id, user_id, email, verified, created_at, updated_at)
         SELECT md5('e' || n)::uuid, $5, ${ID('n')}, 'user' || n || '@bench.test', n % 3 = 0, ${created}, ${created}
           FROM generate_series($3::int, $4::int) AS n`,
        args,
      );
      await c.query(
        `INSERT INTO platform_phone_numbers (id, app_id, user_id, phone_number, verified, created_at, updated_at)
         SELECT md5('p' || n)::uuid, $5, ${ID('n')}, '+1415' || lpad(n::text, 7, '0'), n % 2 = 0, ${created}, ${created}
           FROM generate_series($3::int, $4::int) AS n`,
        args,
      );
      process.stdout.write(`\rusers: ${end.toLocaleString()} (${secs(t)})`);
    }
    process.stdout.write('\n');
    // The counters' trigger does not fire during a replica-role bulk load: count once.
    await c.query(`DELETE FROM platform_user_counts WHERE app_id = $1`, [APP_ID]);
    await c.query(`INSERT INTO platform_user_counts (app_id, status, n) SELECT app_id, status, count(*) FROM platform_users WHERE app_id = $1 GROUP BY app_id, status`, [APP_ID]);
    const ti = performance.now();
    await c.query(`SET max_parallel_maintenance_workers = 2`);
    for (const ix of indexes) await c.query(ix.def);
    console.log(`rebuilt ${indexes.length} secondary indexes in ${secs(ti)}`);
    const tv = performance.now();
    for (const table of tables) await c.query(`VACUUM (ANALYZE) ${table}`);
    console.log(`vacuum analyze in ${secs(tv)}`);
  });
  console.log(`seeded in ${secs(t0)}`);
}

class CapturingLogger implements Logger {
  queries: { sql: string; params: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.queries.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

async function time(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: dbUrl(DB),
    RUN_MIGRATIONS: 'false',
    SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-platform-')),
    OUTBOX_POLL_MS: '0',
    ADMIN_EMAIL: 'bench-admin@bench.test',
    ADMIN_PASSWORD: 'B3nch!Passw0rd#Long',
  });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const ds = app.get(DataSource);
  const n = Math.floor(USERS / 3);
  const [{ id }] = await ds.query(`SELECT user_id AS id FROM platform_emails WHERE email = $1`, [`user${n}@bench.test`]);
  const now = Math.floor(Date.now() / 1000);
  const day = 86_400;
  const f = (fields: unknown[], operator = 'AND') => ({ filters: { operator, fields } });
  const cases: { name: string; body: unknown }[] = [
    { name: 'no filters, first page (total = every user)', body: {} },
    { name: 'email eq', body: f([{ field: 'email', operator: 'eq', value: `user${n}@bench.test` }]) },
    { name: 'phone_number eq', body: f([{ field: 'phone_number', operator: 'eq', value: `+1415${String(n).padStart(7, '0')}` }]) },
    { name: 'user_id in (3)', body: f([{ field: 'user_id', operator: 'in', values: [toPublicId('user', id)] }]) },
    { name: 'status eq pending (10%)', body: f([{ field: 'status', operator: 'eq', value: 'pending' }]) },
    { name: 'status eq active (90%)', body: f([{ field: 'status', operator: 'eq', value: 'active' }]) },
    { name: 'created_at, one day', body: f([{ field: 'created_at', operator: 'between', value: now - 100 * day, second_value: now - 99 * day }]) },
    { name: 'updated_at, one day', body: f([{ field: 'updated_at', operator: 'between', value: now - 100 * day, second_value: now - 99 * day }]) },
    { name: 'created_at gt 30 days ago', body: f([{ field: 'created_at', operator: 'gt', value: now - 30 * day }]) },
    { name: 'email_match (fuzzy)', body: f([{ field: 'email_match', operator: 'eq', value: `user${n}@` }]) },
    { name: 'phone_number_match (fuzzy)', body: f([{ field: 'phone_number_match', operator: 'eq', value: String(n).padStart(7, '0') }]) },
    { name: 'status pending AND one day', body: f([{ field: 'status', operator: 'eq', value: 'pending' }, { field: 'created_at', operator: 'between', value: now - 100 * day, second_value: now - 99 * day }]) },
    { name: 'email OR phone', body: f([{ field: 'email', operator: 'eq', value: `user${n}@bench.test` }, { field: 'phone_number', operator: 'eq', value: '+14150000007' }], 'OR') },
    { name: 'page after a cursor (status active)', body: { ...f([{ field: 'status', operator: 'eq', value: 'active' }]), starting_after: toPublicId('user', id), limit: 100 } },
  ];
  const logger = new CapturingLogger();
  (ds as unknown as { logger: Logger }).logger = logger;
  const headers = { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' };
  const results: { name: string; median: number; max: number; total: number; rows: number; sql: { sql: string; params: unknown[] }[] }[] = [];
  for (const c of cases) {
    const send = () => fetch(`${base}/v1/auth/users/search`, { method: 'POST', headers, body: JSON.stringify(c.body) });
    const first = await send();
    if (first.status !== 200) throw new Error(`${c.name}: HTTP ${first.status} ${await first.text()}`);
    const body = (await first.json()) as { users: unknown[]; total_count: number };
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      logger.queries = [];
      const t0 = performance.now();
      await (await send()).arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results.push({ name: c.name, median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]!, total: body.total_count, rows: body.users.length, sql: logger.queries.filter((q) => /platform_users u WHERE|platform_user_counts/.test(q.sql)) });
  }
  (ds as unknown as { logger: Logger }).logger = new CapturingLogger();
  console.log(`\nPOST /v1/auth/users/search over ${USERS.toLocaleString()} users of one app (${RUNS} runs each, ms, over HTTP)`);
  console.log(`${'filters'.padEnd(44)} ${'median'.padStart(7)} ${'max'.padStart(7)} ${'rows'.padStart(5)}  total_count`);
  for (const r of results) {
    console.log(`${r.name.padEnd(44)} ${r.median.toFixed(1).padStart(7)} ${r.max.toFixed(1).padStart(7)} ${String(r.rows).padStart(5)}  ${r.total}${r.median > BUDGET_MS ? '  > budget' : ''}`);
  }
  if (process.env.BENCH_EXPLAIN !== '0') {
    console.log('\nplans');
    for (const r of results) {
      console.log(`\n=== ${r.name}`);
      for (const q of r.sql) {
        const plan = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF, SUMMARY ON) ${q.sql}`, q.params)) as { 'QUERY PLAN': string }[];
        console.log(plan.map((p) => '  ' + p['QUERY PLAN']).join('\n'));
      }
    }
  }
  await app.close();
}

(async () => {
  if (!REUSE) await seed();
  await time();
})().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
