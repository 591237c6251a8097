import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '../../core/messaging/outbox.service.js';
import type { UserAuth } from './user-auth.js';

/** The mails and texts of the network face, written to the outbox in the caller's transaction. */
@Injectable()
export class NetworkMessages {
  constructor(private readonly outbox: OutboxService) {}

  private send(m: EntityManager, to: UserAuth, subject: string, text: string, template: string): Promise<void> {
    if (to.kind === 'phone') return this.outbox.enqueueSms(m, to.value, `URnetwork: ${text.split('\n').find((l) => l.startsWith('code: ')) ?? subject}`, template);
    return this.outbox.enqueueMail(m, { to: to.value, subject, text, template });
  }

  verifyCode(m: EntityManager, to: UserAuth, code: string): Promise<void> {
    return this.send(m, to, 'URnetwork: verify your account', `Hello,\n\nyour URnetwork verification code:\ncode: ${code}\n\nIt works once and expires in 4 hours.\n`, 'network_verify');
  }

  resetCode(m: EntityManager, to: UserAuth, code: string): Promise<void> {
    return this.send(m, to, 'URnetwork: reset your password', `Hello,\n\nto choose a new password, use this code:\ncode: ${code}\n\nIt works once and expires in 4 hours. If it was not you, ignore this message.\n`, 'network_password_reset');
  }

  passwordChanged(m: EntityManager, to: UserAuth): Promise<void> {
    if (to.kind === 'phone') return Promise.resolve();
    return this.send(m, to, 'URnetwork: your password was changed', 'Hello,\n\nthe password of your network was changed and every other session was signed out.\n', 'network_password_changed');
  }

  welcome(m: EntityManager, to: UserAuth, networkName: string): Promise<void> {
    if (to.kind === 'phone') return Promise.resolve();
    return this.send(m, to, 'URnetwork: welcome', `Hello,\n\nyour network ${networkName} is ready.\n`, 'network_welcome');
  }
}
