import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '../../src/core/database/data-source-options.js';
import { loadMigrations } from '../../src/core/database/discover.js';
import { createApp } from '../../src/core/app-setup.js';
import { AppConfig, loadConfig } from '../../src/core/config/app-config.js';
import type { Env } from '../../src/core/config/env-parsers.js';
import { OutboxMessage } from '../../src/core/messaging/outbox-message.entity.js';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';
import { BackgroundWork } from '../../src/core/background/background-work.js';
import { Clock } from '../../src/core/time/clock.js';
import { adminQuery, TEST_ADMIN_URL, TEST_TEMPLATE_DB, withDatabase } from './db.js';
import { Agent } from './agent.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  databaseUrl: string;
  baseUrl: string;
  /** A fresh HTTP client (own cookie jar, own client IP and user agent). */
  agent(options?: { ip?: string; userAgent?: string }): Agent;
  /** Mails written to the outbox for a recipient, oldest first. */
  mailsTo(email: string): Promise<OutboxMessage[]>;
  /** Sends whatever is due in the outbox through the configured transports. */
  drainOutbox(): Promise<number>;
  /** Waits for work requests started without waiting for it (mails that must not delay a response). */
  settle(): Promise<void>;
  /** Moves the clock the in-memory caches read forward (instead of sleeping until entries go stale). */
  advanceClock(ms: number): void;
  get<T>(token: abstract new (...args: any[]) => T): T;
  close(): Promise<void>;
}

export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';

const TEMPLATE_LOCK = 4_242_999;

/** Creates and migrates this run's template database once, whichever test file gets here first. */
async function ensureTemplate(adminUrl: string, template: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE "${template}"`);
    const ds = await new DataSource(dataSourceOptions(withDatabase(adminUrl, template), { migrations: await loadMigrations() })).initialize();
    try {
      await runMigrationsLocked(ds);
    } catch (err) {
      await ds.destroy();
      await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      throw err;
    }
    await ds.destroy();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** A database cloned from the migrated template (one per test file, or per app when asked). */
export async function cloneDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env[TEST_ADMIN_URL];
  const template = process.env[TEST_TEMPLATE_DB];
  if (!adminUrl || !template) throw new Error('test global setup did not run');
  await ensureTemplate(adminUrl, template);
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    url: withDatabase(adminUrl, name),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export function testConfig(databaseUrl: string, env: Env = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    RUN_MIGRATIONS: 'false',
    OUTBOX_POLL_MS: '0',
    ACTIVITY_SEAL_INTERVAL_MS: '0',
    ACTIVITY_MAINTENANCE_INTERVAL_MS: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'barong-test-')),
    ADMIN_EMAIL: 'admin@barong.test',
    ADMIN_PASSWORD: 'Adm1n!Passw0rd#Long',
    TRUSTED_PROXIES: '127.0.0.1/32',
    ...env,
  });
}

/**
 * Starts the real application (same bootstrap as production) on a private database. Pass
 * `databaseUrl` to start a second instance on the same database.
 */
export async function createTestApp(env: Env = {}, opts: { databaseUrl?: string } = {}): Promise<TestApp> {
  const db = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await cloneDatabase();
  const config = testConfig(db.url, env);
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const dataSource = app.get(DataSource);
  let ipCounter = 1;
  let clockOffset = 0;
  app.get(Clock).now = () => Date.now() + clockOffset;
  return {
    app,
    config,
    dataSource,
    databaseUrl: db.url,
    baseUrl,
    agent: (o = {}) => new Agent(baseUrl, o.ip ?? `10.${ipCounter++ % 250}.0.1`, o.userAgent ?? 'jest-agent/1.0'),
    mailsTo: async (email) => {
      await app.get(BackgroundWork).settle();
      return app.get(OutboxService).messagesTo('mail', email);
    },
    drainOutbox: () => app.get(OutboxService).drain(),
    settle: () => app.get(BackgroundWork).settle(),
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    get: (token) => app.get(token as never),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** The value after "token: " in a mail body. */
export function tokenFromMail(body: string): string {
  const m = body.match(/token: (\S+)/);
  if (!m) throw new Error(`no token in mail:\n${body}`);
  return m[1]!;
}
