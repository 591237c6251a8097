import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Activity } from '../../core/audit/activity.entity.js';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { AppError } from '../../core/http/app-error.js';
import type { Page } from '../../core/http/pagination.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { LabelsService } from '../labels/labels.service.js';
import { IdentityMails } from '../mail/identity-mails.js';
import { SecondFactor } from '../otp/second-factor.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordPolicy } from './password-policy.js';
import { dataErrors } from './user-rules.js';
import type { User } from './user.entity.js';
import { UsersService } from './users.service.js';

export const ACTIVITY_TOPICS = ['all', 'session', 'otp', 'password', 'account'] as const;

export interface ActivityFilter {
  topic: string;
  timeFrom?: number;
  timeTo?: number;
  result?: string;
  page: number;
  limit: number;
}

/** Wrong current passwords a user may send to the change-password endpoint per window. */
const CHANGE_FAILURE_LIMIT = 5;
const CHANGE_FAILURE_WINDOW = 300;

/** The signed-in user's own account (Barong §4.7-4.8, §9 reading). */
@Injectable()
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordPolicy,
    private readonly labels: LabelsService,
    private readonly sessions: SessionsService,
    private readonly secondFactor: SecondFactor,
    private readonly activities: ActivitiesService,
    private readonly mails: IdentityMails,
    @Inject(CounterStore) private readonly counters: CounterStore,
  ) {}

  async me(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw AppError.unauthorized('authz.invalid_session');
    return user;
  }

  async updateData(userId: string, data: string): Promise<User> {
    const errors = dataErrors(data);
    if (errors.length) throw AppError.unprocessable(errors);
    return this.users.update(userId, { data });
  }

  async changePassword(userId: string, sessionId: string | undefined, input: { old: string; next: string; confirm: string }, meta: RequestMeta): Promise<void> {
    const user = await this.me(userId);
    const failKey = `pw-change-fail:${user.id}`;
    const fail = async (reason: string): Promise<void> =>
      this.activities.record({ userId: user.id, topic: 'password', action: 'password change', result: 'failed', meta, data: { reason } });
    if (input.next !== input.confirm) {
      await fail("New passwords don't match");
      throw AppError.unprocessable('resource.password.doesnt_match');
    }
    if ((await this.counters.count(failKey)) >= CHANGE_FAILURE_LIMIT) {
      await fail('Too many attempts');
      throw AppError.tooMany('resource.password.too_many_attempts');
    }
    if (!(await this.users.verifyPassword(user, input.old))) {
      await this.counters.hit(failKey, CHANGE_FAILURE_WINDOW);
      await fail('Previous password is not correct');
      throw AppError.badRequest('resource.password.prev_pass_not_correct');
    }
    if (input.old === input.next) {
      await fail('New password cant be the same, as old one');
      throw AppError.badRequest('resource.password.no_change_provided');
    }
    const errors = this.passwords.check(input.next);
    if (errors.length) {
      await fail(errors.join(', '));
      throw AppError.unprocessable(errors);
    }
    await this.dataSource.transaction(async (m) => {
      await this.users.setPassword(user.id, input.next, m);
      // Beyond Barong: other sessions end, so a stolen session does not survive a password change.
      await this.sessions.revokeAllForUser(user.id, sessionId, m);
      await this.activities.record({ userId: user.id, topic: 'password', action: 'password change', result: 'succeed', meta }, m);
      await this.mails.passwordChanged(m, user, 'change');
    });
    await this.counters.reset(failKey);
  }

  /** Self-deletion: nothing is erased; the private label delete:by_user makes the account `deleted`. */
  async deleteSelf(userId: string, password: string, otpCode: string | undefined, meta: RequestMeta): Promise<void> {
    const user = await this.me(userId);
    // Wrong passwords here share the change-password budget, so a stolen session cannot guess freely.
    const failKey = `pw-change-fail:${user.id}`;
    if ((await this.counters.count(failKey)) >= CHANGE_FAILURE_LIMIT) throw AppError.tooMany('resource.user.too_many_attempts');
    if (!(await this.users.verifyPassword(user, password))) {
      await this.counters.hit(failKey, CHANGE_FAILURE_WINDOW);
      throw AppError.unprocessable('resource.user.invalid_password');
    }
    if (user.otp) {
      if (otpCode === undefined) throw AppError.unprocessable(['resource.user.missing_otp_code', 'resource.user.empty_otp_code']);
      if (!otpCode.trim()) throw AppError.unprocessable('resource.user.empty_otp_code');
      const result = await this.secondFactor.verify(user, otpCode.trim());
      if (result === 'rate_limited') throw AppError.tooMany('resource.user.too_many_attempts');
      if (result !== 'valid') throw AppError.unprocessable('resource.user.invalid_otp');
    }
    await this.dataSource.transaction(async (m) => {
      await this.labels.setPrivate(m, user.id, 'delete', 'by_user');
      await this.sessions.revokeAllForUser(user.id, undefined, m);
      await this.activities.record({ userId: user.id, topic: 'account', action: 'delete', result: 'succeed', meta }, m);
      await this.mails.accountDeleted(m, user);
    });
  }

  async activity(userId: string, f: ActivityFilter): Promise<Page<Activity>> {
    if (!(ACTIVITY_TOPICS as readonly string[]).includes(f.topic)) throw AppError.unprocessable('resource.user.wrong_topic');
    const q = this.dataSource.getRepository(Activity).createQueryBuilder('a').where('a.user_id = :userId', { userId });
    if (f.topic !== 'all') q.andWhere('a.topic = :topic', { topic: f.topic });
    if (f.timeFrom !== undefined) q.andWhere('a.created_at >= to_timestamp(:from)', { from: f.timeFrom });
    if (f.timeTo !== undefined) q.andWhere('a.created_at <= to_timestamp(:to)', { to: f.timeTo });
    if (f.result) q.andWhere('a.result = :result', { result: f.result });
    const [items, total] = await q
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip((f.page - 1) * f.limit)
      .take(f.limit)
      .getManyAndCount();
    if (!total) throw AppError.unprocessable('resource.user.no_activity');
    return { items, total, page: f.page, limit: f.limit };
  }
}
