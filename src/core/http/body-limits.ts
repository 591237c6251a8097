import type { FastifyInstance, RouteOptions } from 'fastify';

/** What any JSON or form body may weigh unless its route says otherwise. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Routes that take more. Uploads are multipart and read through their own per-field limits, so
 * they need no entry here.
 */
export const ROUTE_BODY_LIMITS: Readonly<Record<string, number>> = {
  // The KYC provider's callback carries the provider's whole verification report.
  'POST /api/v2/barong/public/kyc': 1024 * 1024,
  // A comment's data is up to 65,535 characters, up to four bytes each in UTF-8.
  'POST /api/v2/barong/admin/users/comments': 320 * 1024,
  'PUT /api/v2/barong/admin/users/comments': 320 * 1024,
};

/**
 * Sets a body limit on every route as it is registered: past it the body is not read and the
 * answer is 413 `server.request.body_too_large` in the face's shape.
 */
export function applyRouteBodyLimits(fastify: FastifyInstance, limits = ROUTE_BODY_LIMITS, fallback = DEFAULT_BODY_LIMIT): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.bodyLimit !== undefined) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const own = methods.map((m) => limits[`${m.toUpperCase()} ${route.url}`]).find((n) => n !== undefined);
    route.bodyLimit = own ?? fallback;
  });
}
