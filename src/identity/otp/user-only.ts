import type { BarongPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';

/** The user id behind a principal; service accounts and other callers have no 2FA of their own. */
export function userOnly(principal: BarongPrincipal): string {
  if (principal.kind !== 'user') throw AppError.unauthorized('authz.invalid_session');
  return principal.id;
}
