import { AppError } from '../../core/http/app-error.js';

/** A /v1 error: its status, Streambird's `error_type` and a message for people. */
export const sbError = (status: number, type: string, message?: string): AppError => new AppError(status, type, message ? { message } : undefined);
export const badRequest = (type: string, message?: string): AppError => sbError(400, type, message);
export const unauthorized = (type: string, message?: string): AppError => sbError(401, type, message);
export const notFound = (type: string, message?: string): AppError => sbError(404, type, message);
export const tooManyRequests = (message = 'Too many requests, try again later'): AppError => sbError(429, 'too_many_requests', message);

/** Default messages for error types raised without one. */
export const ERROR_MESSAGES: Record<string, string> = {
  bad_request: 'The request is malformed',
  unauthorized_credentials: 'Unauthorized credentials',
  route_not_found: 'Route not found',
  too_many_requests: 'Too many requests, try again later',
  internal_server_error: 'Internal server error',
  user_not_found: 'User not found',
  email_not_found: 'Email not found',
  phone_number_not_found: 'Phone number not found',
  session_not_found: 'Session not found',
  otp_code_not_found: 'No valid one-time code for this method',
  totp_not_found: 'TOTP not found',
  wallet_not_found: 'Wallet not found',
  wallet_registration_not_found: 'No pending wallet registration for this address',
  oauth_token_not_found: 'OAuth token not found',
  oauth_config_not_found: 'OAuth provider is not configured for this app',
  transfer_not_found: 'Transfer not found',
  webauthn_credential_not_found: 'WebAuthn credential not found',
  app_not_found: 'App not found',
  unable_to_auth_otp_code: 'The one-time code is wrong',
  unable_to_authenticate_totp: 'The TOTP code is wrong',
  unable_to_authenticate_recovery_code: 'The recovery code is wrong or used',
  unable_to_authenticate_crypto_wallet: 'The signature does not match the wallet',
  no_session_arguments: 'One of session_token, session_jwt or session_id is required',
  too_many_session_arguments: 'The session arguments name different sessions',
  invalid_session_duration: 'session_expires_in must be between 5 and 525600 minutes',
  insufficient_factors: 'The session needs an OTP or password factor',
  user_id_mismatch: 'The session or user_id belongs to another user',
};
