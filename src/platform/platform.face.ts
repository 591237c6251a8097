import type { FaceDefinition, FaceError } from '../core/faces/face.js';
import { ERROR_MESSAGES } from './common/errors.js';

const SB_ERROR = {
  type: 'object',
  required: ['status_code', 'error_type', 'error_message'],
  properties: {
    status_code: { type: 'integer', example: 404 },
    error_type: { type: 'string', example: 'user_not_found' },
    error_message: { type: 'string', example: 'User not found' },
  },
};

/** Face-neutral codes (the shared edge's) in Streambird's words. */
const SHARED_CODES: Record<string, string> = {
  'route.not_found': 'route_not_found',
  'authz.invalid_session': 'unauthorized_credentials',
  'server.too_many_requests': 'too_many_requests',
  'messaging.too_many_messages': 'too_many_requests',
  'server.unavailable': 'service_unavailable',
  'server.internal_error': 'internal_server_error',
};

const isStreambirdType = (code: string): boolean => /^[a-z][a-z0-9_]*$/.test(code);

function messageFor(status: number, type: string): string {
  return ERROR_MESSAGES[type] ?? (status >= 500 ? 'Internal server error' : type.replace(/_/g, ' '));
}

/** The Streambird-style platform API: tenant apps' backends, by secret key. */
export const PLATFORM_FACE: FaceDefinition = {
  name: 'platform',
  title: 'Platform API (Streambird v1)',
  description:
    'Users, one-time codes, sessions with per-app JWKS, TOTP, passwords, wallet sign-in, custodial wallets and transfers for tenant apps. ' +
    'Authenticate with `Authorization: Bearer sk_test_...`. Errors are `{"status_code", "error_type", "error_message"}`.',
  prefixes: ['/v1'],
  accessPolicy: 'none',
  emptyJsonBodyIsObject: true,
  accepts: ['app_secret_key'],
  translate(error: FaceError): FaceError {
    const code = error.codes[0] ?? '';
    if (error.status === 422) {
      // Validation failures (and values PostgreSQL cannot hold) are 400s naming the bad fields.
      const fields = error.codes.map((c) => c.replace(/\.invalid$/, '').replace(/^.*\./, ''));
      return { status: 400, codes: ['bad_request'], details: { message: `Invalid request: ${fields.join(', ')}` } };
    }
    if (SHARED_CODES[code]) return { ...error, codes: [SHARED_CODES[code]] };
    if (code.startsWith('server.request.')) {
      const what = code.slice('server.request.'.length).replace(/_/g, ' ');
      return { status: error.status >= 500 ? 400 : error.status, codes: ['bad_request'], details: { message: `Bad request: ${what}` } };
    }
    if (!isStreambirdType(code)) {
      const type = error.status === 401 ? 'unauthorized_credentials' : error.status === 403 ? 'forbidden' : error.status === 404 ? 'route_not_found' : error.status >= 500 ? 'internal_server_error' : 'bad_request';
      return { status: error.status, codes: [type], details: error.details };
    }
    return error;
  },
  renderError(status, codes, ctx) {
    const type = codes[0] ?? 'internal_server_error';
    const message = typeof ctx.details?.message === 'string' ? ctx.details.message : messageFor(status, type);
    return { status_code: status, error_type: type, error_message: message };
  },
  notFound: () => ({ status: 404, body: { status_code: 404, error_type: 'route_not_found', error_message: 'Route not found' } }),
  errorSchema: SB_ERROR,
  securitySchemes: [
    { name: 'secret_key', credential: 'app_secret_key', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'sk_test_...', description: "The app's secret key" } },
    { name: 'public_token', credential: 'app_public_token', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'pk_test_...', description: "The app's public token (OAuth begin and the JWKS only)" } },
  ],
};
