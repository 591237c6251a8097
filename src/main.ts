import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './core/app-setup.js';
import { loadConfig } from './core/config/app-config.js';
import { ConfigError } from './core/config/env-parsers.js';

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
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  Logger.log(`listening on http://${config.host}:${config.port} (Swagger UI: ${config.publicUrl}/docs)`, 'Bootstrap');
}

void main();
