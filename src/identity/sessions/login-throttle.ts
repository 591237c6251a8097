import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { CounterStore } from '../../core/kv/counter-store.js';

/**
 * Counts failed logins per e-mail and per client IP in a sliding window (BARONG_LOGIN_*). Beyond the
 * limit, login answers 429 without checking the password, so guessing stops paying.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(CounterStore) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private emailKey(email: string): string {
    return `login-fail:email:${sha256Hex(email.trim().toLowerCase())}`;
  }

  private ipKey(ip: string): string {
    return `login-fail:ip:${ip}`;
  }

  async isBlocked(email: string, ip: string): Promise<boolean> {
    const b = this.config.barong;
    const [byEmail, byIp] = await Promise.all([this.counters.count(this.emailKey(email)), this.counters.count(this.ipKey(ip))]);
    return byEmail >= b.loginMaxFailuresPerEmail || byIp >= b.loginMaxFailuresPerIp;
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const ttl = this.config.barong.loginFailureWindowSeconds;
    await Promise.all([this.counters.hit(this.emailKey(email), ttl), this.counters.hit(this.ipKey(ip), ttl)]);
  }

  async clear(email: string): Promise<void> {
    await this.counters.reset(this.emailKey(email));
  }
}
