import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { OutboxService } from '../../core/messaging/outbox.service.js';
import { mailAddressOf, type User } from '../users/user.entity.js';
import { UserEvents } from '../users/user-events.js';

/**
 * The mails the identity flows send. Each carries the token as plain text (`token: <value>`) and
 * a link to the front end, and is written to the outbox in the caller's transaction.
 */
@Injectable()
export class IdentityMails {
  constructor(
    private readonly outbox: OutboxService,
    private readonly events: UserEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get appName(): string {
    return this.config.barong.appName;
  }

  private link(path: string, param: string, token: string): string {
    return `${this.config.frontendUrl}${path}?${param}=${encodeURIComponent(token)}&lang=${this.config.barong.defaultLanguage}`;
  }

  async emailConfirmation(m: EntityManager, user: User, token: string): Promise<void> {
    await this.events.system(m, 'system.user.email.confirmation.token', user, { token });
    const link = this.link('/accounts/confirmation', 'confirmation_token', token);
    return this.outbox.enqueueMail(m, {
      to: mailAddressOf(user),
      subject: `${this.appName}: confirm your e-mail address`,
      template: 'email_confirmation',
      text: `Hello,\n\nconfirm your e-mail address by opening this link:\n${link}\n\nor by entering this code:\ntoken: ${token}\n\nThe link works once and expires in ${Math.round(this.config.barong.confirmationTokenLifetime / 3600)} hours. If you did not sign up, ignore this mail.\n`,
    });
  }

  async passwordReset(m: EntityManager, user: User, token: string): Promise<void> {
    await this.events.system(m, 'system.user.password.reset.token', user, { token });
    const link = this.link('/accounts/password_reset', 'reset_token', token);
    return this.outbox.enqueueMail(m, {
      to: mailAddressOf(user),
      subject: `${this.appName}: reset your password`,
      template: 'password_reset',
      text: `Hello,\n\nsomeone asked to reset the password of this account. To choose a new one, open:\n${link}\n\nor use this code:\ntoken: ${token}\n\nOnly the latest reset link works, once, for ${Math.round(this.config.barong.resetTokenLifetime / 60)} minutes. If it was not you, ignore this mail; your password is unchanged.\n`,
    });
  }

  async passwordChanged(m: EntityManager, user: User, how: 'reset' | 'change'): Promise<void> {
    await this.events.system(m, how === 'reset' ? 'system.user.password.reset' : 'system.user.password.change', user);
    return this.outbox.enqueueMail(m, {
      to: mailAddressOf(user),
      subject: `${this.appName}: your password was changed`,
      template: how === 'reset' ? 'password_reset_done' : 'password_changed',
      text: `Hello,\n\nthe password of your account was ${how === 'reset' ? 'reset' : 'changed'}${how === 'reset' ? ' and every session was signed out' : ''}.\nIf this was not you, reset your password at once and contact support.\n`,
    });
  }

  async accountDeleted(m: EntityManager, user: User): Promise<void> {
    await this.events.system(m, 'system.user.account.deleted', user, {}, false);
    return this.outbox.enqueueMail(m, {
      to: mailAddressOf(user),
      subject: `${this.appName}: your account was deleted`,
      template: 'account_deleted',
      text: `Hello,\n\nyour account was deleted at your request and every session was signed out.\n`,
    });
  }
}
