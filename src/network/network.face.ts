import type { FaceDefinition, FaceError } from '../core/faces/face.js';

/** The message a raised (non-200) error of the network face carries, by the domain code. */
const RAISED_MESSAGES: Record<string, string> = {
  'authz.invalid_session': 'Not authorized.',
  'network.not_authorized': 'Not authorized.',
  'route.not_found': '404 page not found',
  'server.internal_error': 'Error. Please email support@ur.io for help.',
  'server.request.invalid_json': 'Invalid JSON body.',
  'server.request.body_too_large': 'request body too large',
};

const NETWORK_ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message'],
      properties: { message: { type: 'string', example: 'Invalid code.' } },
      additionalProperties: true,
    },
  },
};

/**
 * The URnetwork API at the root path. Business failures are HTTP 200 with
 * `{"error": {"message", <flags>}}` (see `businessError`); raised errors (401, 400, 403, 404)
 * carry the same body shape with their status. Validation failures (422 in the core) are 400 here.
 */
export const NETWORK_FACE: FaceDefinition = {
  name: 'network',
  title: 'URnetwork network API',
  description:
    'The URnetwork (BringYour) API at the root path: networks, sign-in, client JWTs, devices, locations, wallets, subscriptions, stats. ' +
    'Bodies may be sent as `application/json` or `text/json`. Business errors are HTTP 200 with `{"error": {"message": ...}}`; ' +
    '401 only for a missing or invalid JWT.',
  prefixes: ['/auth', '/network', '/device', '/wallet', '/account', '/subscription', '/stats', '/transfer', '/feedback', '/preferences', '/connect', '/hello'],
  accessPolicy: 'none',
  accepts: ['network_jwt'],
  translate: (error: FaceError): FaceError => {
    if (error.status === 422) return { ...error, status: 400 };
    // The shared per-destination message cap is a business refusal here (the apps show the message).
    if (error.codes[0] === 'messaging.too_many_messages') {
      return { status: 200, codes: error.codes, details: { message: 'Too many messages were sent to this address. Please try again later.' } };
    }
    return error;
  },
  renderError: (status, codes, ctx) => {
    const details = ctx.details ?? {};
    const message =
      typeof details.message === 'string'
        ? details.message
        : (RAISED_MESSAGES[codes[0] ?? ''] ?? (status === 400 ? `Invalid request: ${codes.join(', ')}` : codes.join(', ')));
    return { error: { ...details, message } };
  },
  notFound: () => ({ status: 404, body: { error: { message: '404 page not found' } } }),
  errorSchema: NETWORK_ERROR,
  securitySchemes: [
    { name: 'network_jwt', credential: 'network_jwt', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An admin JWT (by_jwt) or a client JWT (by_client_jwt)' } },
  ],
};
