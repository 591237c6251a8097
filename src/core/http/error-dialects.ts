/** How each API face spells an error. The face is chosen by the request path. */
export interface ErrorBody {
  status: number;
  body: unknown;
}

export type ErrorDialect = (status: number, codes: string[], requestId: string) => unknown;

const STREAMBIRD_TYPES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'invalid_request',
  429: 'too_many_requests',
};

export const dialects = {
  /** Barong: {"errors": ["code", ...]} */
  barong: ((_status, codes) => ({ errors: codes })) as ErrorDialect,
  /** Streambird /v1: {"status_code", "error_type", "error_message"} */
  platform: ((status, codes) => ({
    status_code: status,
    error_type: STREAMBIRD_TYPES[status] ?? (status >= 500 ? 'internal_error' : 'error'),
    error_message: codes.join(', '),
  })) as ErrorDialect,
  /** URnetwork: {"error": {"message": ...}} */
  network: ((_status, codes) => ({ error: { message: codes.join(', ') } })) as ErrorDialect,
};

export function dialectFor(path: string): ErrorDialect {
  if (path.startsWith('/v1/') || path === '/v1') return dialects.platform;
  if (path.startsWith('/api/')) return dialects.barong;
  if (path.startsWith('/docs') || path.startsWith('/health') || path.startsWith('/.well-known')) return dialects.barong;
  return dialects.network;
}
