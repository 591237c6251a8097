import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationCodes } from '../../core/http/validation.js';

/**
 * Validates a multipart form's text fields with the same rules and codes as the global pipe
 * (which never sees multipart bodies). Returns the DTO and the failing codes, so the caller can
 * add codes about the files in the right order.
 */
export async function validateForm<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<{ dto: T; codes: string[] }> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: false, validationError: { target: false, value: false } });
  return { dto, codes: validationCodes(errors) };
}
