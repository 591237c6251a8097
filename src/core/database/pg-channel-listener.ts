import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';

const RECONNECT_MS = 1000;

/** Connection settings for a dedicated client, taken from the data source's own options. */
export function clientConfigOf(dataSource: DataSource, applicationName: string): pg.ClientConfig {
  const o = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: unknown;
    database?: string;
    ssl?: unknown;
  };
  return {
    connectionString: o.url,
    host: o.host,
    port: o.port,
    user: o.username,
    password: typeof o.password === 'string' ? o.password : undefined,
    database: o.database,
    ssl: o.ssl as pg.ClientConfig['ssl'],
    application_name: applicationName,
  };
}

/**
 * LISTENs on one PostgreSQL channel over its own connection (pooled connections cannot hold a
 * LISTEN). Reconnects after a failure and calls `onResync` then, since notifications sent while
 * it was away are lost.
 */
export class PgChannelListener {
  private client?: pg.Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    /** Called with the notification's payload ('' when it has none). */
    private readonly onNotify: (payload: string) => void,
    private readonly onResync: () => void,
    private readonly logger: Logger,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.connect();
    } catch (err) {
      this.logger.error(`cannot LISTEN on ${this.channel}: ${(err as Error).message}`);
      this.scheduleReconnect();
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.onNotify(n.payload ?? '');
    });
    client.on('error', (err) => {
      this.logger.warn(`listener connection on ${this.channel} failed: ${err.message}`);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      this.client = undefined;
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopped) return;
      this.connect()
        .then(() => this.onResync())
        .catch((err: Error) => {
          this.logger.warn(`LISTEN ${this.channel} reconnect failed: ${err.message}`);
          this.scheduleReconnect();
        });
    }, RECONNECT_MS);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
