import { Inject, Injectable } from '@nestjs/common';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { businessError } from '../common/business-error.js';

/** Failed attempts (a wrong password or code) allowed per account and per client IP in the window. */
export const ACCOUNT_FAILURE_LIMIT = 10;
export const IP_FAILURE_LIMIT = 100;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * Counts failures only, so an app's normal burst of calls never trips it; beyond the limit the
 * attempt is refused before any password or code is checked.
 */
@Injectable()
export class AttemptLimiter {
  constructor(@Inject(CounterStore) private readonly counters: CounterStore) {}

  private accountKey(account: string): string {
    return `network:fail:account:${sha256Hex(account)}`;
  }

  private ipKey(ip: string): string {
    return `network:fail:ip:${ip}`;
  }

  /** Throws the business error when the account or the IP is over its limit. */
  async check(account: string | undefined, ip: string): Promise<void> {
    const [byAccount, byIp] = await Promise.all([account ? this.counters.count(this.accountKey(account)) : 0, this.counters.count(this.ipKey(ip))]);
    if (byAccount >= ACCOUNT_FAILURE_LIMIT || byIp >= IP_FAILURE_LIMIT) throw businessError('User auth attempts exceeded limits.');
  }

  async fail(account: string | undefined, ip: string): Promise<void> {
    await Promise.all([account ? this.counters.hit(this.accountKey(account), FAILURE_WINDOW_SECONDS) : undefined, this.counters.hit(this.ipKey(ip), FAILURE_WINDOW_SECONDS)]);
  }
}
