import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface CorsPolicy {
  /** Allowed origins; `*` anywhere allows (and reflects) any origin. */
  origins: readonly string[];
  credentials: boolean;
  maxAgeSeconds: number;
  methods: readonly string[];
}

const VARY_PREFLIGHT = 'Origin, Access-Control-Request-Headers';

/**
 * CORS for every face, as one `onRequest` hook with its headers worked out at start-up:
 * - every answer varies on `Origin`; an allowed origin is reflected in `Access-Control-Allow-Origin`,
 *   with `Access-Control-Allow-Credentials: true` when credentials are allowed;
 * - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here with
 *   204, the allowed methods, the requested headers and `Access-Control-Max-Age`;
 * - any other `OPTIONS` is an ordinary request and gets no CORS headers: the gateway decides it
 *   (200) and other routes answer in their face's dialect, never CORS's plain-text 400.
 *
 * These are the headers `@fastify/cors` sent with the same options. That plugin resolves its
 * options per request (a merge of some fifteen fields and the route's options), which cost about a
 * twentieth of a request's CPU, and it cannot tell a non-preflight `OPTIONS` apart without a
 * per-request delegate, which costs more.
 */
export function installCors(instance: FastifyInstance, policy: CorsPolicy): void {
  const anyOrigin = policy.origins.includes('*');
  const allowed = new Set(policy.origins);
  const methods = policy.methods.join(', ');
  const maxAge = String(policy.maxAgeSeconds);
  instance.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const origin = req.headers.origin;
    const options = req.method === 'OPTIONS';
    if (options && (!origin || req.headers['access-control-request-method'] === undefined)) {
      void reply.header('vary', 'Origin');
      return done();
    }
    if (origin && (anyOrigin || allowed.has(origin))) void reply.header('access-control-allow-origin', origin);
    if (policy.credentials) void reply.header('access-control-allow-credentials', 'true');
    if (!options) {
      void reply.header('vary', 'Origin');
      return done();
    }
    void reply.header('vary', VARY_PREFLIGHT).header('access-control-allow-methods', methods);
    const requested = req.headers['access-control-request-headers'];
    if (requested !== undefined) void reply.header('access-control-allow-headers', requested);
    // Safari waits for a body on a 204 without Content-Length.
    void reply.header('access-control-max-age', maxAge).code(204).header('content-length', '0').send();
  });
}
