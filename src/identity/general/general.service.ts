import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { PACKAGE_VERSION } from '../../core/version.js';
import { PasswordPolicy } from '../users/password-policy.js';

/** Barong's general endpoints, served under both identity/ and public/. */
@Injectable()
export class GeneralService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passwords: PasswordPolicy,
  ) {}

  version(): Record<string, string> {
    return {
      git_tag: `v${PACKAGE_VERSION}`,
      git_sha: this.config.build.gitSha,
      build_date: this.config.build.buildDate,
      version: PACKAGE_VERSION,
    };
  }

  configs(): Record<string, unknown> {
    const b = this.config.barong;
    const out: Record<string, unknown> = {
      session_expire_time: b.sessionExpireTime,
      captcha_type: b.captcha,
      phone_verification_type: b.phoneVerification,
      password_min_entropy: b.passwordMinEntropy,
      password_regexp: b.passwordRegexp.source,
    };
    if (b.captcha === 'recaptcha' && this.config.captcha.recaptchaSiteKey) out.captcha_id = this.config.captcha.recaptchaSiteKey;
    return out;
  }

  entropy(password: string): number {
    return this.passwords.entropy(password);
  }
}
