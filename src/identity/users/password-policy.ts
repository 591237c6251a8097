import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { passwordEntropy } from '../../core/crypto/password-strength.js';

/** Barong's password rules: the regexp first (password.requirements), then entropy (password.weak). */
@Injectable()
export class PasswordPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  entropy(password: string): number {
    return passwordEntropy(password, this.config.barong.passwordUseDictionary);
  }

  /** Error codes for a candidate password; empty when acceptable. */
  check(password: string): string[] {
    const b = this.config.barong;
    if (!b.passwordRegexp.test(password)) return ['password.requirements'];
    if (this.entropy(password) < b.passwordMinEntropy) return ['password.weak'];
    return [];
  }
}
