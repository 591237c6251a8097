import { DataSource } from 'typeorm';
import { loadConfig } from '../core/config/app-config.js';
import { dataSourceOptions } from '../core/database/data-source-options.js';
import { loadEntities, loadMigrations } from '../core/database/discover.js';
import { startEmbeddedPostgres } from '../core/database/embedded-postgres.js';

/** A data source for command-line tools: DATABASE_URL, or the same embedded server the app uses. */
export async function openCliDataSource(): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const config = loadConfig();
  let url = config.databaseUrl;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const server = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort);
    url = server.url;
    stop = server.stop;
  }
  const dataSource = await new DataSource(
    dataSourceOptions(url, { entities: await loadEntities(), migrations: await loadMigrations() }),
  ).initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await stop?.();
    },
  };
}
