import { badRequest } from '../common/errors.js';
import { type Input, optInt, optString } from '../common/input.js';

/** The session arguments every verify endpoint takes (reference §2). */
export interface SessionParams {
  /** Minutes, 5…525600. */
  expiresIn?: number;
  token?: string;
  jwt?: string;
}

export function sessionParamsOf(input: Input): SessionParams {
  const expiresIn = optInt(input, 'session_expires_in', 'invalid_session_duration');
  if (expiresIn !== undefined && (expiresIn < 5 || expiresIn > 525_600)) throw badRequest('invalid_session_duration');
  const token = optString(input, 'session_token') || undefined;
  const jwt = optString(input, 'session_jwt') || undefined;
  return { expiresIn, token, jwt };
}
