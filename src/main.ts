import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './core/app-setup.js';
import { loadConfig } from './core/config/app-config.js';
import { ConfigError } from './core/config/env-parsers.js';
import { assertEmbeddedPostgresCanStart, EmbeddedPostgresError } from './core/database/embedded-postgres.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      Logger.error(`invalid configuration: ${err.message}`, undefined, 'Config');
      process.exit(78);
    }
    throw err;
  }
  if (!config.databaseUrl) await assertEmbeddedPostgresCanStart(config.dataDir);
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  Logger.log(`listening on http://${config.host}:${config.port} (Swagger UI: ${config.publicUrl}/docs)`, 'Bootstrap');
}

main().catch((err: unknown) => {
  // One clear line for what stops the start (the stack only when it is a defect, at debug level).
  Logger.error(err instanceof Error ? err.message : String(err), undefined, 'Bootstrap');
  if (err instanceof Error && !(err instanceof EmbeddedPostgresError)) Logger.debug(err.stack ?? '', 'Bootstrap');
  process.exit(1);
});
