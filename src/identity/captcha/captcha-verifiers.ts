import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { safeEqual } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { CaptchaEndpoint, CaptchaVerifier } from './captcha.js';
import { GEETEST_API, type GeetestApi, RECAPTCHA_API, type RecaptchaApi } from './captcha-providers.js';

export const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

export const GEETEST_FIELDS = ['geetest_challenge', 'geetest_validate', 'geetest_seccode'] as const;
type GeetestField = (typeof GEETEST_FIELDS)[number];

const required = (): AppError => AppError.badRequest('identity.captcha.required');
const failed = (): AppError => AppError.unprocessable('identity.captcha.verification_failed');

/** Barong's `blank?`: nil, whitespace-only strings and empty hashes/arrays. */
function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/**
 * The Geetest fields from whatever shape the response came in: an object (JSON body), an object
 * keyed `captcha_response[geetest_challenge]` (a flat form body), or a JSON string of the object.
 */
export function geetestFields(response: unknown): Partial<Record<GeetestField, unknown>> | undefined {
  let value = response;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const out: Partial<Record<GeetestField, unknown>> = {};
  for (const f of GEETEST_FIELDS) {
    const v = o[f] ?? o[`captcha_response[${f}]`];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

abstract class ProtectedEndpoints implements CaptchaVerifier {
  constructor(protected readonly config: AppConfig) {}

  async check(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<void> {
    if (!this.config.captcha.protectedEndpoints.includes(endpoint)) return;
    await this.verifyPresent(response, clientIp);
  }

  /** An endpoint's check already verified the response when the endpoint is protected (responses are single-use). */
  async demand(endpoint: CaptchaEndpoint, response: unknown, clientIp: string): Promise<void> {
    if (this.config.captcha.protectedEndpoints.includes(endpoint)) return;
    await this.verifyPresent(response, clientIp);
  }

  private async verifyPresent(response: unknown, clientIp: string): Promise<void> {
    if (isBlank(response)) throw required();
    await this.verify(response, clientIp);
  }

  protected abstract verify(response: unknown, clientIp: string): Promise<void>;
}

/** reCAPTCHA v2 (BARONG_CAPTCHA=recaptcha). Any failure talking to Google counts as a failed check. */
@Injectable()
export class RecaptchaVerifier extends ProtectedEndpoints {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RECAPTCHA_API) private readonly api: RecaptchaApi,
  ) {
    super(config);
  }

  protected async verify(response: unknown): Promise<void> {
    const secret = this.config.captcha.recaptchaSecretKey;
    if (typeof response !== 'string' || !secret) throw failed();
    const ok = await this.api.siteverify(secret, response).catch(() => false);
    if (!ok) throw failed();
  }
}

/**
 * Geetest v3 (BARONG_CAPTCHA=geetest): the validate value must be md5(key + "geetest" + challenge),
 * then Geetest must answer md5(seccode) for the posted seccode.
 */
@Injectable()
export class GeetestVerifier extends ProtectedEndpoints {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(GEETEST_API) private readonly api: GeetestApi,
  ) {
    super(config);
  }

  protected async verify(response: unknown): Promise<void> {
    const fields = geetestFields(response);
    if (!fields || !GEETEST_FIELDS.every((f) => typeof fields[f] === 'string')) {
      throw AppError.badRequest('identity.captcha.mandatory_fields');
    }
    const { geetest_challenge: challenge, geetest_validate: validate, geetest_seccode: seccode } = fields as Record<GeetestField, string>;
    const { geetestId, geetestKey } = this.config.captcha;
    if (!geetestId || !geetestKey) throw failed();
    if (!safeEqual(validate, md5(geetestKey + 'geetest' + challenge))) throw failed();
    const answer = await this.api.validate({ captchaId: geetestId, challenge, seccode }).catch(() => undefined);
    if (answer === undefined || !safeEqual(answer, md5(seccode))) throw failed();
  }

  /** `{gt, challenge}` for the widget, or undefined when Geetest is not configured or unreachable. */
  async register(): Promise<{ gt: string; challenge: string } | undefined> {
    const { geetestId, geetestKey } = this.config.captcha;
    if (!geetestId || !geetestKey) return undefined;
    try {
      const remote = await this.api.register(geetestId);
      if (remote.length !== 32) return undefined;
      return { gt: geetestId, challenge: md5(remote + geetestKey) };
    } catch {
      return undefined;
    }
  }
}
