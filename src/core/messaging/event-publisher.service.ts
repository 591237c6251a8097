import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JwtService } from '../crypto/jwt/jwt.service.js';
import { Periodic } from '../background/periodic.js';
import { eventRoute } from './events.service.js';

const BATCH = 100;
/** Barong's Event API JWTs live an hour. */
const EVENT_TTL_SECONDS = 3600;
const MAX_BACKOFF_SECONDS = 60;
/** A broker that neither confirms nor fails within this long is treated as failed. */
const CONFIRM_TIMEOUT_MS = 10_000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Claimed {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Publishes the event outbox to RabbitMQ, at least once. Each instance claims due rows with SKIP
 * LOCKED (a lease keeps others off them), signs each event when it sends it (so `exp` counts from
 * the publication, however long the broker was away), publishes on a confirm channel and marks
 * the rows published only after the broker confirmed them. Any failure drops the connection; the
 * rows stay pending with a short backoff and the next round reconnects. The outbox row id is the
 * JWT `jti` and the AMQP `messageId`, identical on every retry.
 */
@Injectable()
export class EventPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventPublisher');
  private readonly loop: Periodic;
  private connection?: ChannelModel;
  private channel?: ConfirmChannel;
  private readonly exchanges = new Set<string>();
  private url: string | undefined;
  /** The AMQP connection name (`connection_name` client property) of the current connection. */
  connectionName?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.url = config.eventApiRabbitmqUrl;
    this.loop = new Periodic('event publishing', this.url ? config.outboxPollMs : 0, () => this.drain(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.disconnect();
  }

  /** Points the publisher at another broker URL (operations and tests). */
  async useBroker(url: string): Promise<void> {
    this.url = url;
    await this.disconnect();
  }

  /** Publishes everything due; returns how many events the broker confirmed. */
  async drain(): Promise<number> {
    if (!this.url) return 0;
    let published = 0;
    for (;;) {
      const batch = await this.claim();
      if (!batch.length) return published;
      try {
        const channel = await this.ensureChannel();
        for (const event of batch) {
          const { exchange, routingKey } = eventRoute(event.name);
          if (!this.exchanges.has(exchange)) {
            await channel.assertExchange(exchange, 'direct', { durable: true });
            this.exchanges.add(exchange);
          }
          const iat = Math.floor(Date.now() / 1000);
          const jwt = this.jwt.signGeneral({ iss: 'barong', jti: event.id, iat, exp: iat + EVENT_TTL_SECONDS, event: { name: event.name, ...event.payload } });
          channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(jwt)), {
            persistent: true,
            messageId: event.id,
            contentType: 'application/json',
            timestamp: iat,
          });
        }
        await within(channel.waitForConfirms(), CONFIRM_TIMEOUT_MS, 'broker confirmation');
        await this.dataSource.query(`UPDATE event_outbox SET status = 'published', published_at = now(), last_error = NULL WHERE id = ANY($1::uuid[])`, [batch.map((e) => e.id)]);
        published += batch.length;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        this.logger.warn(`publishing ${batch.length} events failed (will retry): ${error}`);
        await this.disconnect();
        await this.dataSource.query(
          `UPDATE event_outbox SET last_error = $2, next_attempt_at = now() + make_interval(secs => LEAST($3::int, power(2, attempts)::int)) WHERE id = ANY($1::uuid[])`,
          [batch.map((e) => e.id), error.slice(0, 2000), MAX_BACKOFF_SECONDS],
        );
        return published;
      }
    }
  }

  private async claim(): Promise<Claimed[]> {
    const result = (await this.dataSource.query(
      `UPDATE event_outbox SET next_attempt_at = now() + interval '2 minutes', attempts = attempts + 1
        WHERE id IN (SELECT id FROM event_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, name, payload, attempts`,
      [BATCH],
    )) as [Claimed[], number];
    return [...result[0]].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private async ensureChannel(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const name = `barong-nest-events-${randomUUID().slice(0, 8)}`;
    const connection = await connect(this.url!, { clientProperties: { connection_name: name }, timeout: 5_000 });
    this.connectionName = name;
    connection.on('error', (err: Error) => this.logger.warn(`broker connection error: ${err.message}`));
    connection.on('close', () => {
      if (this.connection === connection) this.forget();
    });
    const channel = await connection.createConfirmChannel();
    channel.on('error', (err: Error) => this.logger.warn(`broker channel error: ${err.message}`));
    channel.on('close', () => {
      if (this.channel === channel) this.forget();
    });
    this.connection = connection;
    this.channel = channel;
    return channel;
  }

  private forget(): void {
    this.connection = undefined;
    this.channel = undefined;
    this.exchanges.clear();
  }

  private async disconnect(): Promise<void> {
    const connection = this.connection;
    this.forget();
    if (connection) await within(connection.close(), 2_000, 'closing the broker connection').catch(() => undefined);
  }
}
