import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';

const HOUR_MS = 3_600_000;
const HOURS = 24;
const FLUSH_MS = 5_000;
const KEY_PREFIX = 'barong:permission-decisions:';
const SAMPLES_KEY = 'barong:permission-decision-samples';
/** Distinct combinations remembered per hour (a flood of random paths cannot grow memory without bound). */
const MAX_KEYS_PER_HOUR = 20_000;

export interface RecentDecision {
  role: string;
  verb: string;
  /** The path with id-like segments replaced by `:id`. */
  pattern: string;
  /** A path actually requested under this pattern (what the dry-run re-decides). */
  path: string;
  count: number;
}

/** Segments that name one record (numbers, UUIDs, Barong uids, long hex or base64url tokens) become `:id`. */
const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z]{2,6}[0-9A-F]{10}|[0-9a-fA-F]{16,}|[A-Za-z0-9_-]{24,})$/;

export function routePattern(path: string): string {
  return path
    .split('/')
    .map((s) => (ID_SEGMENT.test(s) ? ':id' : s))
    .join('/');
}

interface Bucket {
  hour: number;
  counts: Map<string, number>;
  /** Counts not yet added to Redis. */
  pending: Map<string, number>;
}

/**
 * A compact count of recent permission decisions per (role, verb, route pattern), in hourly
 * buckets over the last 24 hours: in memory per instance, and merged through Redis (one hash per
 * hour, flushed every few seconds) when REDIS_URL is set, so a dry-run sees every instance's
 * traffic. Recording is a map increment on the request path.
 */
@Injectable()
export class DecisionStats implements OnApplicationShutdown {
  private readonly logger = new Logger('DecisionStats');
  private readonly buckets: Bucket[] = [];
  private readonly samples = new Map<string, string>();
  private newSamples = new Map<string, string>();
  /** Path → pattern for the paths seen lately (the gateway sees the same few paths again and again). */
  private readonly patterns = new Map<string, string>();
  private readonly redis?: Redis;
  private readonly flusher?: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
      this.redis.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
      this.flusher = setInterval(() => void this.flush().catch((err: unknown) => this.logger.warn(`flush failed: ${String(err)}`)), FLUSH_MS);
      this.flusher.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.flusher);
    await this.flush().catch(() => undefined);
    this.redis?.disconnect();
  }

  record(role: string, verb: string, path: string, now = Date.now()): void {
    const hour = Math.floor(now / HOUR_MS);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.hour !== hour) {
      bucket = { hour, counts: new Map(), pending: new Map() };
      this.buckets.push(bucket);
      while (this.buckets.length && this.buckets[0]!.hour <= hour - HOURS) this.buckets.shift();
    }
    let pattern = this.patterns.get(path);
    if (pattern === undefined) {
      pattern = routePattern(path);
      if (this.patterns.size >= MAX_KEYS_PER_HOUR) this.patterns.clear();
      this.patterns.set(path, pattern);
    }
    const key = `${role}\t${verb.toUpperCase()}\t${pattern}`;
    const n = bucket.counts.get(key);
    if (n === undefined && bucket.counts.size >= MAX_KEYS_PER_HOUR) return;
    bucket.counts.set(key, (n ?? 0) + 1);
    if (this.redis) bucket.pending.set(key, (bucket.pending.get(key) ?? 0) + 1);
    if (!this.samples.has(key) && this.samples.size < MAX_KEYS_PER_HOUR * HOURS) {
      this.samples.set(key, path);
      if (this.redis) this.newSamples.set(key, path);
    }
  }

  /** Adds this instance's new counts to the shared hashes. */
  async flush(): Promise<void> {
    if (!this.redis) return;
    const multi = this.redis.multi();
    let any = false;
    for (const bucket of this.buckets) {
      if (!bucket.pending.size) continue;
      const key = `${KEY_PREFIX}${bucket.hour}`;
      for (const [field, n] of bucket.pending) multi.hincrby(key, field, n);
      multi.expire(key, (HOURS + 1) * 3600);
      bucket.pending = new Map();
      any = true;
    }
    for (const [field, path] of this.newSamples) multi.hsetnx(SAMPLES_KEY, field, path);
    if (this.newSamples.size) {
      multi.expire(SAMPLES_KEY, (HOURS + 1) * 3600);
      any = true;
    }
    this.newSamples = new Map();
    if (any) await multi.exec();
  }

  /** The last 24 hours, merged across instances when Redis is there. */
  async recent(now = Date.now()): Promise<RecentDecision[]> {
    const hour = Math.floor(now / HOUR_MS);
    const totals = new Map<string, number>();
    const samples = new Map(this.samples);
    if (this.redis) {
      await this.flush();
      const hours = Array.from({ length: HOURS }, (_, i) => hour - i);
      const pipeline = this.redis.pipeline();
      for (const h of hours) pipeline.hgetall(`${KEY_PREFIX}${h}`);
      pipeline.hgetall(SAMPLES_KEY);
      const results = (await pipeline.exec()) ?? [];
      results.slice(0, HOURS).forEach(([, hash]) => {
        for (const [k, v] of Object.entries((hash ?? {}) as Record<string, string>)) totals.set(k, (totals.get(k) ?? 0) + Number(v));
      });
      for (const [k, v] of Object.entries((results[HOURS]?.[1] ?? {}) as Record<string, string>)) if (!samples.has(k)) samples.set(k, v);
    } else {
      for (const b of this.buckets) {
        if (b.hour <= hour - HOURS) continue;
        for (const [k, n] of b.counts) totals.set(k, (totals.get(k) ?? 0) + n);
      }
    }
    return [...totals].map(([key, count]) => {
      const [role, verb, pattern] = key.split('\t') as [string, string, string];
      return { role, verb, pattern, path: samples.get(key) ?? pattern, count };
    });
  }
}
