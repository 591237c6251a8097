import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { User } from './user.entity.js';

export interface UserChange {
  before: Pick<User, 'state' | 'otp' | 'role' | 'level' | 'email'>;
  after: User;
}

/** Runs inside the transaction that changed the user (e.g. deactivate API keys when state leaves active). */
export type UserChangeHook = (manager: EntityManager, change: UserChange) => Promise<void>;

/**
 * Modules that must react to user changes (API keys, service accounts, sessions) register here,
 * so the user module does not depend on them.
 */
@Injectable()
export class UserChangeHooks {
  private readonly hooks: UserChangeHook[] = [];

  register(hook: UserChangeHook): void {
    this.hooks.push(hook);
  }

  async run(manager: EntityManager, change: UserChange): Promise<void> {
    for (const hook of this.hooks) await hook(manager, change);
  }
}
