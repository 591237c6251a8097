import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dataSourceOptions, runMigrationsLocked } from './data-source-options.js';
import { loadMigrations } from './discover.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { installAfterCommit } from './after-commit.js';

/** Holds the embedded server (when used) so it stops with the application. */
@Injectable()
export class EmbeddedDatabase implements OnApplicationShutdown {
  stop?: () => Promise<void>;

  async onApplicationShutdown(): Promise<void> {
    await this.stop?.();
  }
}

interface PgPoolEvents {
  on(event: 'connect', listener: (client: { on(event: 'error', listener: (err: Error) => void): void }) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

/**
 * A pooled connection the server ends (restart, pg_terminate_backend, a network cut) emits
 * 'error'; while it is checked out between two queries nobody listens, and an unheard 'error'
 * would take the process down. The query in flight, if any, fails on its own; the pool drops the
 * connection and makes a new one for the next request.
 */
function survivePoolErrors(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: PgPoolEvents }).master;
  if (!pool) return;
  pool.on('connect', (client) => client.on('error', (err) => logger.warn(`database connection lost: ${err.message}`)));
  pool.on('error', (err) => logger.warn(`idle database connection lost: ${err.message}`));
}

const embedded = new EmbeddedDatabase();
const boot = { runMigrations: true };
const logger = new Logger('Database');

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        let url = config.databaseUrl;
        if (!url) {
          const server = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort);
          embedded.stop = server.stop;
          url = server.url;
        }
        boot.runMigrations = config.runMigrations;
        return { ...dataSourceOptions(url, { migrations: await loadMigrations() }), autoLoadEntities: true, retryAttempts: 3, retryDelay: 1000 };
      },
      dataSourceFactory: async (options) => {
        // Migrations run before any other provider can touch the schema.
        const dataSource = await new DataSource(options!).initialize();
        survivePoolErrors(dataSource);
        installAfterCommit(dataSource);
        if (boot.runMigrations) {
          const applied = await runMigrationsLocked(dataSource);
          if (applied.length) logger.log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
        }
        return dataSource;
      },
    }),
  ],
  providers: [{ provide: EmbeddedDatabase, useValue: embedded }],
  exports: [EmbeddedDatabase],
})
export class DatabaseModule {}
