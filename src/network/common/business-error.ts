import { AppError } from '../../core/http/app-error.js';

/** The one domain code of a business error: the face renders it as HTTP 200 `{"error": {...}}`. */
export const BUSINESS_ERROR = 'network.business_error';

/**
 * A failure the apps expect as a normal answer (wrong password, invalid code, a limit): HTTP 200
 * with `{"error": {"message": message, ...flags}}`. Services throw it; raised errors (401, 400)
 * stay ordinary AppErrors.
 */
export function businessError(message: string, flags: Record<string, unknown> = {}): AppError {
  return new AppError(200, BUSINESS_ERROR, { ...flags, message });
}

export const isBusinessError = (err: unknown): err is AppError => err instanceof AppError && err.codes[0] === BUSINESS_ERROR;
