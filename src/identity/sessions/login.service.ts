import { UserEvents } from '../users/user-events.js';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { PasswordHasher } from '../../core/crypto/password-hasher.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { SecondFactor } from '../otp/second-factor.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { LoginThrottle } from './login-throttle.js';
import { OpenedSession, SessionsService } from './sessions.service.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

export interface LoginInput {
  email: string;
  password: string;
  otpCode?: string;
  /** Asked for when the account is under distributed guessing and a captcha is configured. */
  captchaResponse?: unknown;
}

const STATE_REFUSALS: Record<string, { code: string; reason: string }> = {
  banned: { code: 'identity.session.banned', reason: 'Your account is banned' },
  deleted: { code: 'identity.session.deleted', reason: 'Your account is deleted' },
};

/**
 * Password login (Barong §5.2) with what Barong 2.6 lacks: failed attempts are counted (LoginThrottle:
 * per account and client IP, per account across IPs, per IP over distinct accounts) and answered 429
 * past the limit, and the password is checked before the account state, so a stranger without the
 * password learns nothing about the account.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly secondFactor: SecondFactor,
    private readonly activities: ActivitiesService,
    private readonly events: UserEvents,
  ) {}

  async login(input: LoginInput, meta: RequestMeta): Promise<{ user: User; session: OpenedSession }> {
    const found = await this.users.findByEmailWithDigest(input.email, DEFAULT_APP_ID);
    const user = found?.user ?? null;
    if (!(await this.throttle.admit(input.email, meta.ip, input.captchaResponse))) {
      await this.fail(user, 'login', 'Too many attempts', meta);
      throw AppError.tooMany('identity.session.too_many_attempts');
    }
    const passwordOk = await this.hasher.verify(found?.digest, input.password);
    if (!user || !passwordOk) {
      await this.throttle.recordFailure(input.email, meta.ip);
      // Recorded for unknown e-mails too (without a user): the same work either way, so timing
      // does not tell whether an address has an account.
      await this.fail(user, 'login', 'Invalid Email or Password', meta);
      throw AppError.unauthorized('identity.session.invalid_params');
    }
    const admitted = await this.admit(user, input.otpCode, meta);
    await this.throttle.clear(input.email, meta.ip);
    return admitted;
  }

  /**
   * Everything after the first factor, for every way of logging in (password, Auth0): the account
   * state, the second factor when 2FA is on, then the session and its activity in one transaction.
   * `via` names a login other than the password one in the activity data.
   */
  async admit(user: User, otpCode: string | undefined, meta: RequestMeta, via?: string): Promise<{ user: User; session: OpenedSession }> {
    if (user.state !== 'active' && user.state !== 'pending') {
      const refusal = STATE_REFUSALS[user.state] ?? { code: 'identity.session.not_active', reason: 'Your account is not active' };
      await this.fail(user, 'login', refusal.reason, meta, via);
      throw AppError.unauthorized(refusal.code);
    }
    let action = 'login';
    if (user.otp) {
      const code = otpCode?.trim();
      if (!code) throw AppError.unauthorized('identity.session.missing_otp');
      const result = (await this.throttle.locked(user.email ?? user.uid, meta.ip))
        ? 'rate_limited'
        : await this.secondFactor.verify(user, code, { allowRecoveryCode: true });
      if (result === 'rate_limited') {
        await this.fail(user, 'login::2fa', 'Too many attempts', meta, via);
        throw AppError.tooMany('identity.session.too_many_attempts');
      }
      if (result !== 'valid') {
        await this.throttle.recordFailure(user.email ?? user.uid, meta.ip);
        await this.fail(user, 'login::2fa', 'OTP code is invalid', meta, via);
        throw AppError.forbidden('identity.session.invalid_otp');
      }
      action = 'login::2fa';
    }
    const activity = { userId: user.id, topic: 'session', action, result: 'succeed' as const, meta, data: via ? { via } : null };
    // The session and its activity in one statement; with the Event API on, its event joins them in one transaction.
    const session = this.events.enabled
      ? await this.dataSource.transaction(async (m) => {
          await this.events.system(m, 'system.session.create', user, { user_ip: meta.ip, user_agent: meta.userAgent }, false);
          return this.sessions.openWithActivity(user, meta, activity, m);
        })
      : await this.sessions.openWithActivity(user, meta, activity);
    return { user, session };
  }

  async logout(userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.activities.record({ userId, topic: 'session', action: 'logout', result: 'succeed', meta }, m);
      await this.sessions.revokeById(sessionId, m);
    });
  }

  private fail(user: User | null, action: string, reason: string, meta: RequestMeta, via?: string): Promise<void> {
    return this.activities.record({ userId: user?.id ?? null, topic: 'session', action, result: 'failed', meta, data: via ? { reason, via } : { reason } });
  }
}
