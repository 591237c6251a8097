import { Injectable } from '@nestjs/common';

/** Barong's captcha-protected endpoint keys (config/barong.yml `captcha_protected_endpoints`). */
export type CaptchaEndpoint = 'user_create' | 'session_create' | 'password_reset' | 'email_confirmation';

/** Verifies a captcha response for an endpoint; throws the Barong AppError when it fails. */
export interface CaptchaVerifier {
  check(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<void>;
}

/**
 * The captcha gate the identity flows call. The captcha module registers the configured verifier
 * (BARONG_CAPTCHA recaptcha | geetest); with none registered (BARONG_CAPTCHA=none) it lets all through.
 */
@Injectable()
export class CaptchaGate {
  private verifier?: CaptchaVerifier;

  register(verifier: CaptchaVerifier): void {
    this.verifier = verifier;
  }

  async check(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<void> {
    await this.verifier?.check(endpoint, response, clientIp);
  }
}
