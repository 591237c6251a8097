import { UserEvents } from './user-events.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { CaptchaGate } from '../captcha/captcha.js';
import { LabelsService } from '../labels/labels.service.js';
import { IdentityMails } from '../mail/identity-mails.js';
import { OpenedSession, SessionsService } from '../sessions/sessions.service.js';
import { PasswordPolicy } from './password-policy.js';
import { dataErrors, emailErrors, uniqueViolationCode, usernameErrors } from './user-rules.js';
import { UserTokensService } from './user-tokens.service.js';
import { User } from './user.entity.js';
import { normalizeEmail, UsersService } from './users.service.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

export interface RegistrationInput {
  email: string;
  password: string;
  username?: string;
  refid?: string;
  data?: string;
}

export interface SignedIn {
  user: User;
  session: OpenedSession;
}

/** Mails a user may trigger per address per window (confirmation and reset), against mail bombing. */
const MAIL_LIMIT = 5;
const MAIL_WINDOW_SECONDS = 3600;
const REGISTRATION_WINDOW_SECONDS = 3600;

/** Sign-up and e-mail confirmation (Barong §4.4-4.5). */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordPolicy,
    private readonly tokens: UserTokensService,
    private readonly labels: LabelsService,
    private readonly sessions: SessionsService,
    private readonly activities: ActivitiesService,
    private readonly mails: IdentityMails,
    private readonly events: UserEvents,
    @Inject(CounterStore) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly captcha: CaptchaGate,
  ) {}

  /**
   * Sign-ups per client IP and hour (BARONG_REGISTRATION_LIMIT_PER_IP, 0 = off), so fresh accounts
   * cannot be minted in bulk. Past the limit a configured captcha must be solved, else 429.
   */
  async admitFrom(ip: string, captchaResponse: unknown): Promise<void> {
    const limit = this.config.barong.registrationLimitPerIp;
    if (!limit) return;
    if ((await this.counters.hit(`signup:ip:${ip}`, REGISTRATION_WINDOW_SECONDS)) <= limit) return;
    if (await this.captcha.demand('user_create', captchaResponse, ip)) return;
    throw AppError.tooMany('identity.user.too_many_attempts');
  }

  async register(input: RegistrationInput, meta: RequestMeta): Promise<SignedIn> {
    const errors = [
      ...emailErrors(input.email),
      ...this.passwords.check(input.password),
      ...usernameErrors(input.username),
      ...dataErrors(input.data),
    ];
    let referralId: string | null = null;
    if (input.refid) {
      const prefix = this.config.barong.uidPrefix;
      if (!input.refid.toUpperCase().startsWith(prefix)) throw AppError.unprocessable('identity.user.invalid_referral_format');
      const referrer = await this.users.findByUid(input.refid.toUpperCase(), DEFAULT_APP_ID);
      if (!referrer) throw AppError.unprocessable('identity.user.referral_doesnt_exist');
      referralId = referrer.id;
    }
    if (!errors.includes('email.invalid') && (await this.users.emailTaken(input.email, DEFAULT_APP_ID))) errors.push('email.taken');
    if (input.username && !errors.some((e) => e.startsWith('username.')) && (await this.users.usernameTaken(input.username, DEFAULT_APP_ID))) {
      errors.push('username.taken');
    }
    if (errors.length) throw AppError.unprocessable(errors);

    try {
      return await this.dataSource.transaction(async (m) => {
        const user = await this.users.create(
          { appId: DEFAULT_APP_ID, email: input.email, password: input.password, username: input.username, data: input.data ?? null, referralId },
          m,
        );
        await this.activities.record({ userId: user.id, topic: 'account', action: 'signup', result: 'succeed', meta }, m);
        const token = await this.tokens.issue(m, user.id, 'confirm_email', this.config.barong.confirmationTokenLifetime);
        await this.mails.emailConfirmation(m, user, token);
        const session = await this.sessions.open(user, meta, m);
        return { user, session };
      });
    } catch (err) {
      const taken = uniqueViolationCode(err);
      if (taken) throw AppError.unprocessable(taken);
      throw err;
    }
  }

  /** Always succeeds for the caller; mails only an existing, not yet active user (no enumeration). */
  async resendConfirmation(email: string): Promise<void> {
    const user = await this.users.findByEmail(email, DEFAULT_APP_ID);
    if (!user || user.state === 'active') return;
    if ((await this.counters.hit(`mail:confirm:${sha256Hex(normalizeEmail(email))}`, MAIL_WINDOW_SECONDS)) > MAIL_LIMIT) return;
    await this.dataSource.transaction(async (m) => {
      const token = await this.tokens.issue(m, user.id, 'confirm_email', this.config.barong.confirmationTokenLifetime);
      await this.mails.emailConfirmation(m, user, token);
    });
  }

  /** Redeems a confirmation token: private label email:verified (→ active, level 1), and a session. */
  async confirmEmail(token: string, meta: RequestMeta): Promise<SignedIn> {
    return this.dataSource.transaction(async (m) => {
      const check = await this.tokens.check(m, token, 'confirm_email');
      if (!check.ok) {
        if (check.reason === 'used') throw AppError.unprocessable('identity.user.utilized_token');
        if (check.reason === 'expired') throw AppError.unprocessable('jwt.decode_and_verify.expired');
        throw AppError.unprocessable('jwt.decode_and_verify.invalid');
      }
      const found = await this.users.findById(check.token.userId, m);
      if (!found || found.state === 'active') throw AppError.unprocessable('identity.user.active_or_doesnt_exist');
      await this.tokens.consume(m, check.token);
      await this.labels.setPrivate(m, found.id, 'email', 'verified');
      const user = (await this.users.findById(found.id, m))!;
      await this.events.system(m, 'system.user.email.confirmed', user);
      await this.activities.record({ userId: user.id, topic: 'account', action: 'email confirmation', result: 'succeed', meta }, m);
      const session = await this.sessions.open(user, meta, m);
      return { user, session };
    });
  }
}
