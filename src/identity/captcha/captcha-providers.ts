import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';

/** Google reCAPTCHA v2 server-side check. */
export interface RecaptchaApi {
  /** True when the provider accepts the widget response for this secret. */
  siteverify(secret: string, response: string): Promise<boolean>;
}

/** The Geetest v3 server API (register.php, validate.php). */
export interface GeetestApi {
  /** A fresh challenge for the captcha id (32 characters when the service is up). */
  register(captchaId: string): Promise<string>;
  /** Posts the seccode; answers what Geetest returned as the seccode check (md5 of the seccode when valid). */
  validate(input: { captchaId: string; challenge: string; seccode: string }): Promise<string>;
}

export const RECAPTCHA_API = Symbol('RECAPTCHA_API');
export const GEETEST_API = Symbol('GEETEST_API');

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const text = await res.text();
  if (!res.ok) throw new Error(`captcha provider answered ${res.status}`);
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** reCAPTCHA over HTTP (BARONG_RECAPTCHA_VERIFY_URL); the client IP is not sent, as in Barong. */
@Injectable()
export class HttpRecaptchaApi implements RecaptchaApi {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async siteverify(secret: string, response: string): Promise<boolean> {
    const c = this.config.captcha;
    const body = new URLSearchParams({ secret, response }).toString();
    const answer = parseJson(await call(c.recaptchaVerifyUrl, { method: 'POST', headers: FORM, body }, c.timeoutMs));
    return !!answer && typeof answer === 'object' && (answer as { success?: unknown }).success === true;
  }
}

/** Geetest over HTTP (BARONG_GEETEST_API_URL, default http://api.geetest.com). */
@Injectable()
export class HttpGeetestApi implements GeetestApi {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async register(captchaId: string): Promise<string> {
    const c = this.config.captcha;
    const url = `${c.geetestApiUrl}/register.php?${new URLSearchParams({ gt: captchaId, json_format: '1' })}`;
    const text = await call(url, { method: 'GET' }, c.timeoutMs);
    const json = parseJson(text);
    if (json && typeof json === 'object') return String((json as { challenge?: unknown }).challenge ?? '');
    return text.trim();
  }

  async validate(input: { captchaId: string; challenge: string; seccode: string }): Promise<string> {
    const c = this.config.captcha;
    const body = new URLSearchParams({
      seccode: input.seccode,
      challenge: input.challenge,
      captchaid: input.captchaId,
      json_format: '1',
      sdk: 'barong-nest',
    }).toString();
    const text = await call(`${c.geetestApiUrl}/validate.php`, { method: 'POST', headers: FORM, body }, c.timeoutMs);
    const json = parseJson(text);
    if (json && typeof json === 'object') return String((json as { seccode?: unknown }).seccode ?? '');
    return text.trim();
  }
}
