import { Injectable } from '@nestjs/common';

/** Barong's captcha-protected endpoint keys (config/barong.yml `captcha_protected_endpoints`). */
export type CaptchaEndpoint = 'user_create' | 'session_create' | 'password_reset' | 'email_confirmation';

/** Verifies a captcha response for an endpoint; throws the Barong AppError when it fails. */
export interface CaptchaVerifier {
  check(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<void>;
  /** Verifies a response for a flow under suspicion, unless the endpoint's own check already did. */
  demand(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<void>;
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

  /** Whether a captcha is configured at all (BARONG_CAPTCHA is not none). */
  get configured(): boolean {
    return !!this.verifier;
  }

  /**
   * Past a rate limit: with a captcha configured, the caller must solve one (whatever the protected
   * endpoints), and true is returned once it did; without one, false (the caller refuses with 429).
   */
  async demand(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<boolean> {
    if (!this.verifier) return false;
    await this.verifier.demand(endpoint, response, clientIp);
    return true;
  }
}
