import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { Expose, Transform } from 'class-transformer';
import { GEETEST_FIELDS } from './captcha-verifiers.js';

/**
 * A request's captcha response, as a string (reCAPTCHA token), an object (Geetest, JSON body), or
 * for form bodies the flat `captcha_response[geetest_challenge]`-style fields, gathered into an
 * object here because the validation pipe strips fields a DTO does not declare.
 */
export function gatherCaptchaResponse(body: Record<string, unknown> | undefined, name = 'captcha_response'): unknown {
  const value = body?.[name];
  if (value !== undefined || !body) return value;
  const out: Record<string, unknown> = {};
  for (const f of GEETEST_FIELDS) {
    const v = body[`${name}[${f}]`];
    if (v !== undefined) out[f] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** DTO property for `captcha_response` (string or Geetest object, JSON or form body). */
export function CaptchaResponseProperty(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({
      description:
        'Response from the captcha widget: the reCAPTCHA token, or the Geetest object ' +
        '{geetest_challenge, geetest_validate, geetest_seccode} (form bodies: captcha_response[geetest_challenge]=...)',
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: Object.fromEntries(GEETEST_FIELDS.map((f) => [f, { type: 'string' }])),
        },
      ],
    })(target, key);
    Allow()(target, key);
    Expose()(target, key);
    Transform(({ obj }) => gatherCaptchaResponse(obj as Record<string, unknown>, String(key)), { toClassOnly: true })(target, key);
  };
}
