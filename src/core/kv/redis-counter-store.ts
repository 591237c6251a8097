import { Redis } from 'ioredis';
import { CounterStore } from './counter-store.js';

const HIT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n`;

export class RedisCounterStore extends CounterStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'barong:') {
    super();
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async hit(key: string, ttlSeconds: number): Promise<number> {
    return Number(await this.redis.eval(HIT, 1, this.prefix + key, ttlSeconds));
  }

  async count(key: string): Promise<number> {
    return Number((await this.redis.get(this.prefix + key)) ?? 0);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
