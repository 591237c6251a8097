import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { IsDefined, ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { AppError } from './app-error.js';
import { passThrough, passThroughFields } from './pass-through-dto.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

/**
 * Validation messages are the error codes themselves (Barong style: `identity.user.missing_email`),
 * so a failed DTO turns into a 422 listing every code, in field order.
 */
const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** Present and not blank: absent gives [missing_x, empty_x], blank gives [empty_x], as Grape does. */
export function Required(prefix: string): PropertyDecorator {
  return (target, key) => {
    const name = String(key);
    IsDefined({ message: `${prefix}.missing_${name}` })(target, key);
    NotBlank(`${prefix}.empty_${name}`)(target, key);
  };
}

/** Present (may be blank): absent gives missing_x. */
export function Present(prefix: string): PropertyDecorator {
  return (target, key) => IsDefined({ message: `${prefix}.missing_${String(key)}` })(target, key);
}

export function NotBlank(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: { validate: (v: unknown) => !isBlank(v), defaultMessage: buildMessage(() => message, options) },
    },
    { message, ...options },
  );
}

/** Optional, but when given it must not be blank (Grape's `allow_blank: false` on an optional param). */
export function NotBlankIfPresent(prefix: string): PropertyDecorator {
  return (target, key) =>
    ValidateBy({
      name: 'notBlankIfPresent',
      validator: { validate: (v: unknown) => v === undefined || !isBlank(v) },
    }, { message: `${prefix}.empty_${String(key)}` })(target, key);
}

function collect(errors: ValidationError[], out: string[]): void {
  for (const e of errors) {
    const constraints = { ...(e.constraints ?? {}) };
    // An absent value reports missing/empty only, not every type rule it cannot satisfy.
    if (constraints.isDefined) {
      for (const name of Object.keys(constraints)) if (name !== 'isDefined' && name !== 'notBlank') delete constraints[name];
    }
    // A value that is not a number at all is reported as such, not also as out of range.
    if (constraints.isInt || constraints.isNumber) {
      delete constraints.min;
      delete constraints.max;
    }
    for (const message of Object.values(constraints)) {
      const code = /^[\w.:-]+$/.test(message) ? message : `${e.property}.invalid`;
      if (!out.includes(code)) out.push(code);
    }
    if (e.children?.length) collect(e.children, out);
  }
}

export function validationCodes(errors: ValidationError[]): string[] {
  const out: string[] = [];
  collect(errors, out);
  return out;
}

/** Whether any string in a parsed body or query holds NUL (PostgreSQL text cannot). Iterative, bounded by the input. */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\0')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/**
 * Refuses NUL in body, query and path values with 422 before any handler (or background job it
 * starts) sends them to PostgreSQL, then validates.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    if (containsNul(value)) throw new AppError(422, 'server.request.invalid_value');
    const fields = passThroughFields(metadata.metatype);
    return (fields && passThrough(metadata.metatype, fields, value)) ?? super.transform(value, metadata);
  }
}

/**
 * One pipe for every face. Unknown fields are stripped (Barong clients send extras such as
 * captcha fields the server ignores); faces that must reject them set forbidNonWhitelisted per DTO.
 */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new AppValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new AppError(422, validationCodes(errors)),
  });
}
