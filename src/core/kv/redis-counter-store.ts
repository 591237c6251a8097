import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppError } from '../http/app-error.js';
import { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';

const HIT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n`;
/** A command waits this long for Redis before the store falls back. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * Counters shared through Redis. While Redis cannot be reached, rate-limit counters (hit, count,
 * reset) degrade to this process's memory, with a warning, so limits still hold per instance;
 * one-time claims (API-key nonces, TOTP replay guards) fail closed: a process-local marker
 * could not stop a replay on another instance, so the request is refused with 503 instead.
 * Commands go to Redis again as soon as it is back (ioredis reconnects on its own).
 */
export class RedisCounterStore extends CounterStore {
  private readonly redis: Redis;
  private readonly fallback = new MemoryCounterStore();
  private readonly logger = new Logger('CounterStore');
  private degraded = false;

  constructor(url: string, private readonly prefix = 'barong:') {
    super();
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', () => this.degrade('connection error'));
    this.redis.on('ready', () => {
      if (!this.degraded) return;
      this.degraded = false;
      this.logger.warn('Redis is back: counters are shared again');
    });
  }

  /** Whether Redis answers now (readiness probe). */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  private degrade(why: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(`Redis unavailable (${why}): rate limits fall back to in-process counters, one-time claims are refused`);
  }

  private async shared<T>(op: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') {
      this.degrade(`connection ${this.redis.status}`);
      return local();
    }
    try {
      return await op();
    } catch (err) {
      this.degrade(err instanceof Error ? err.message : String(err));
      return local();
    }
  }

  hit(key: string, ttlSeconds: number): Promise<number> {
    return this.shared(
      async () => Number(await this.redis.eval(HIT, 1, this.prefix + key, ttlSeconds)),
      () => this.fallback.hit(key, ttlSeconds),
    );
  }

  count(key: string): Promise<number> {
    return this.shared(
      async () => Number((await this.redis.get(this.prefix + key)) ?? 0),
      () => this.fallback.count(key),
    );
  }

  claim(key: string, ttlMs: number, degradable = false): Promise<boolean> {
    return this.shared(
      async () => (await this.redis.set(this.prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK',
      () => (degradable ? this.fallback.claim(key, ttlMs) : Promise.reject(new AppError(503, 'server.counter_store_unavailable'))),
    );
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    await this.shared(
      async () => void (await this.redis.del(this.prefix + key)),
      async () => undefined,
    );
  }

  async close(): Promise<void> {
    await this.fallback.close();
    await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
