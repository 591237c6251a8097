import { createParamDecorator, ExecutionContext, ValidationPipe } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import { validationCodes } from './validation.js';

/**
 * Grape merges query and body into one `params`; DELETE routes of the admin API document their
 * parameters in the query, but clients also send them as a body. This yields both, body winning.
 * Pair it with `paramsPipe` so the DTO is validated like any other.
 */
export const AllParams = createParamDecorator((_: unknown, ctx: ExecutionContext): Record<string, unknown> => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  const body = req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? (req.body as Record<string, unknown>) : {};
  return { ...(req.query as Record<string, unknown>), ...body };
});

export const paramsPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: false,
  validateCustomDecorators: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new AppError(422, validationCodes(errors)),
});

/** Grape's Boolean coercion for form and query strings; anything else stays as sent (and fails IsBoolean). */
export function toBoolean({ value }: { value: unknown }): unknown {
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  return value;
}
