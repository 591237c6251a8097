import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { IdentityMails } from '../mail/identity-mails.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordPolicy } from './password-policy.js';
import { UserTokensService } from './user-tokens.service.js';
import { normalizeEmail, UsersService } from './users.service.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

const MAIL_LIMIT = 5;
const MAIL_WINDOW_SECONDS = 3600;

/** Forgotten-password flow (Barong §4.6): one live token per user, single use, ends every session. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordPolicy,
    private readonly tokens: UserTokensService,
    private readonly sessions: SessionsService,
    private readonly activities: ActivitiesService,
    private readonly mails: IdentityMails,
    @Inject(CounterStore) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Unknown e-mails get the same answer as known ones; nothing tells them apart. */
  async request(email: string, meta: RequestMeta): Promise<void> {
    const user = await this.users.findByEmail(email, DEFAULT_APP_ID);
    if (!user) return;
    if ((await this.counters.hit(`mail:reset:${sha256Hex(normalizeEmail(email))}`, MAIL_WINDOW_SECONDS)) > MAIL_LIMIT) return;
    await this.dataSource.transaction(async (m) => {
      const token = await this.tokens.issue(m, user.id, 'reset_password', this.config.barong.resetTokenLifetime);
      await this.activities.record({ userId: user.id, topic: 'password', action: 'request password reset', result: 'succeed', meta }, m);
      await this.mails.passwordReset(m, user, token);
    });
  }

  async confirm(token: string, password: string, confirmPassword: string, meta: RequestMeta): Promise<void> {
    if (password !== confirmPassword) throw AppError.unprocessable('identity.user.passwords_doesnt_match');
    const failure = await this.dataSource.transaction(async (m) => {
      const check = await this.tokens.check(m, token, 'reset_password');
      if (!check.ok) {
        if (check.reason === 'expired') throw AppError.unprocessable('jwt.decode_and_verify.expired');
        if (check.reason === 'used') throw AppError.unprocessable('identity.user.utilized_token');
        throw AppError.unprocessable('jwt.decode_and_verify.invalid');
      }
      const user = await this.users.findById(check.token.userId, m);
      if (!user) throw AppError.unprocessable('identity.user.utilized_token');
      const errors = this.passwords.check(password);
      if (errors.length) {
        await this.activities.record(
          { userId: user.id, topic: 'password', action: 'password reset', result: 'failed', meta, data: { reason: errors.join(', ') } },
          m,
        );
        return errors;
      }
      await this.tokens.consume(m, check.token);
      await this.users.setPassword(user.id, password, m);
      await this.sessions.revokeAllForUser(user.id, undefined, m);
      await this.activities.record({ userId: user.id, topic: 'password', action: 'password reset', result: 'succeed', meta }, m);
      await this.mails.passwordChanged(m, user, 'reset');
      return [];
    });
    // The failed activity commits; the request still fails with the validation codes.
    if (failure.length) throw AppError.unprocessable(failure);
  }
}
