import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * The service's Prometheus metrics, in a registry of its own (several instances may share a
 * process in tests): requests by face, route and status with latency, logins, rate-limit
 * refusals, outbox depth and age, database pool use, and Node's defaults (event-loop delay,
 * memory, GC).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by face, route pattern, method and status',
    labelNames: ['face', 'route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by face, route pattern and method',
    labelNames: ['face', 'route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'logins_total',
    help: 'Answers of sign-in routes: succeeded (2xx) or failed',
    labelNames: ['face', 'result'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429, by face and route pattern',
    labelNames: ['face', 'route'] as const,
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const pool = (): PgPool | undefined => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (in_use, idle, waiting clients, max)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
        this.set({ state: 'max' }, p.options?.max ?? 0);
      },
    });
    const outbox = { depth: 0, age: 0 };
    // Both outbox gauges are collected side by side in one scrape: they share one query.
    let reading: Promise<void> | undefined;
    const readOutbox = (): Promise<void> =>
      (reading ??= queryOutbox()
        .catch(() => undefined)
        .finally(() => setImmediate(() => (reading = undefined))));
    const queryOutbox = async (): Promise<void> => {
      const [row] = (await dataSource.query(
        `SELECT count(*)::int AS depth, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age
           FROM outbox_messages WHERE status = 'pending'`,
      )) as { depth: number; age: number }[];
      outbox.depth = row?.depth ?? 0;
      outbox.age = row?.age ?? 0;
    };
    new Gauge({
      name: 'outbox_pending_messages',
      help: 'Mail and SMS waiting in the outbox',
      registers: [this.registry],
      async collect() {
        await readOutbox();
        this.set(outbox.depth);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest message waiting in the outbox',
      registers: [this.registry],
      async collect() {
        await readOutbox();
        this.set(outbox.age);
      },
    });
  }
}
