import type { FaceDefinition, FaceError } from '../../core/faces/face.js';
import { TOO_MANY_MESSAGES } from '../../core/messaging/messaging-errors.js';

/** Face-neutral codes as Barong names them. */
function translate(error: FaceError): FaceError {
  if (error.codes[0] === TOO_MANY_MESSAGES) {
    return { ...error, codes: [error.details?.channel === 'sms' ? 'resource.phone.too_many_attempts' : 'identity.user.too_many_attempts'] };
  }
  return error;
}

const BARONG_ERRORS = {
  type: 'object',
  required: ['errors'],
  properties: { errors: { type: 'array', items: { type: 'string' }, example: ['identity.session.invalid_params'] } },
};

/** Barong v2: identity, resource, public and admin APIs, with Barong's error codes and RBAC. */
export const BARONG_FACE: FaceDefinition = {
  name: 'barong',
  title: 'Barong v2',
  description:
    'Identity, sessions, 2FA, API keys, KYC and admin, compatible with Barong v2. Errors are `{"errors": ["code", ...]}` ' +
    'with Barong\'s codes and statuses. Cookie-authenticated writes need the `X-CSRF-Token` header (the `csrf_token` of the login answer).',
  prefixes: ['/api'],
  accessPolicy: 'permissions',
  accepts: ['session', 'jwt', 'api_key'],
  paramsFromQueryOrBody: true,
  translate,
  renderError: (_status, codes) => ({ errors: codes }),
  // Grape's answer to an unknown route under /api.
  notFound: () => ({ status: 404, body: { error: 'Route is not found' } }),
  errorSchema: BARONG_ERRORS,
  securitySchemes: [
    { name: 'session', credential: 'session', scheme: { type: 'apiKey', in: 'cookie', name: '_barong_session', description: 'The session cookie set by POST /api/v2/barong/identity/sessions' } },
    { name: 'csrf', credential: 'session', scheme: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The csrf_token of the login answer; needed with the cookie on writes' } },
    { name: 'jwt', credential: 'jwt', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT minted by the gateway endpoint for a live session' } },
    { name: 'apikey', credential: 'api_key', scheme: { type: 'apiKey', in: 'header', name: 'X-Auth-Apikey', description: 'API key id (kid); send X-Auth-Nonce and X-Auth-Signature with it' } },
    { name: 'apikey_nonce', credential: 'api_key', scheme: { type: 'apiKey', in: 'header', name: 'X-Auth-Nonce', description: 'Milliseconds since the epoch, distinct per request' } },
    { name: 'apikey_signature', credential: 'api_key', scheme: { type: 'apiKey', in: 'header', name: 'X-Auth-Signature', description: 'hex(HMAC-SHA256(secret, nonce + kid))' } },
  ],
};
