import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { CaptchaGate, type CaptchaEndpoint } from '../captcha/captcha.js';

/**
 * Failed sign-ins, counted so that guessing stops paying while nobody else can lock a user out.
 * Any face's login uses it with its own account key (an e-mail, a phone number, a user id):
 *
 * - per (account, client IP): BARONG_LOGIN_MAX_FAILURES_PER_EMAIL failures in
 *   BARONG_LOGIN_FAILURE_WINDOW seconds lock that account from that IP only;
 * - per account across IPs: BARONG_LOGIN_MAX_FAILURES_PER_ACCOUNT failures in
 *   BARONG_LOGIN_ACCOUNT_WINDOW seconds (distributed guessing) ask for the captcha when one is
 *   configured, else lock the account;
 * - per client IP: failures on BARONG_LOGIN_MAX_FAILURES_PER_IP distinct accounts in the short window
 *   (password spraying) lock the IP; many failures on one account do not lock out everyone behind it.
 *
 * The right password from an IP with no recent failures for the account still gets in.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(CounterStore) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly captcha: CaptchaGate,
  ) {}

  private account(key: string): string {
    return sha256Hex(key.trim().toLowerCase());
  }

  private pairKey(account: string, ip: string): string {
    return `login-fail:pair:${account}:${ip}`;
  }

  private accountKey(account: string): string {
    return `login-fail:account:${account}`;
  }

  private ipKey(ip: string): string {
    return `login-fail:ip:${ip}`;
  }

  /**
   * Whether an attempt on the account from the IP may be checked at all. False means refuse with the
   * face's too-many-attempts error; a configured captcha that is missing or wrong throws its own error.
   */
  async admit(accountKey: string, ip: string, captchaResponse?: unknown, endpoint: CaptchaEndpoint = 'session_create'): Promise<boolean> {
    const b = this.config.barong;
    const account = this.account(accountKey);
    const [pair, byAccount, byIp] = await Promise.all([
      this.counters.count(this.pairKey(account, ip)),
      this.counters.count(this.accountKey(account)),
      this.counters.count(this.ipKey(ip)),
    ]);
    if (pair >= b.loginMaxFailuresPerEmail || byIp >= b.loginMaxFailuresPerIp) return false;
    if (byAccount >= b.loginMaxFailuresPerAccount) return this.captcha.demand(endpoint, captchaResponse, ip);
    return true;
  }

  /**
   * Whether the account is locked from the IP (the short per-pair lock or the per-IP one), for a
   * later step of a sign-in whose first step already passed `admit` (a second factor).
   */
  async locked(accountKey: string, ip: string): Promise<boolean> {
    const b = this.config.barong;
    const account = this.account(accountKey);
    const [pair, byIp] = await Promise.all([this.counters.count(this.pairKey(account, ip)), this.counters.count(this.ipKey(ip))]);
    return pair >= b.loginMaxFailuresPerEmail || byIp >= b.loginMaxFailuresPerIp;
  }

  async recordFailure(accountKey: string, ip: string): Promise<void> {
    const b = this.config.barong;
    const account = this.account(accountKey);
    const window = b.loginFailureWindowSeconds;
    const [, , firstOnAccount] = await Promise.all([
      this.counters.hit(this.pairKey(account, ip), window),
      this.counters.hit(this.accountKey(account), b.loginAccountWindowSeconds),
      this.counters.claim(`login-fail:ip-account:${ip}:${account}`, window * 1000, true),
    ]);
    if (firstOnAccount) await this.counters.hit(this.ipKey(ip), window);
  }

  /** After a success: the failures of this account from this IP are forgiven (the others stand). */
  async clear(accountKey: string, ip: string): Promise<void> {
    await this.counters.reset(this.pairKey(this.account(accountKey), ip));
  }
}
