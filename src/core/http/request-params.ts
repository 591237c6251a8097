import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { FaceRegistry } from '../faces/face-registry.js';
import { isMultipart } from './multipart-bodies.js';
import { appendRouteHook } from './route-hooks.js';

/** Grape's Boolean coercion for form and query strings; anything else stays as sent (and fails IsBoolean). */
export function toBoolean({ value }: { value: unknown }): unknown {
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  return value;
}

const isPlainBody = (body: unknown): body is Record<string, unknown> => !!body && typeof body === 'object' && !Buffer.isBuffer(body) && !Array.isArray(body);

/**
 * For faces that read parameters as Grape does (query or body, whichever the client used), gives
 * every handler both: the body DTO sees query parameters and the query DTO sees body fields, the
 * body winning where both name one. A route-level hook after body parsing, so the guard and the
 * validation pipes see the merge; routes of other faces carry a hook that does nothing after its
 * first request. Multipart and raw bodies are left as they are (their handlers read the parts).
 */
export function installQueryOrBodyParams(instance: FastifyInstance, faces: FaceRegistry): void {
  instance.addHook('onRoute', (route: RouteOptions) => {
    const resolve = faces.resolverFor(route.url);
    appendRouteHook(route, 'preValidation', (req, _reply, done) => {
      if (resolve(req.method).face.paramsFromQueryOrBody) mergeQueryAndBody(req);
      done();
    });
  });
}

function mergeQueryAndBody(req: FastifyRequest): void {
  if (isMultipart(req) || (req.body !== undefined && req.body !== null && !isPlainBody(req.body))) return;
  const merged = { ...((req.query ?? {}) as Record<string, unknown>), ...(isPlainBody(req.body) ? req.body : {}) };
  req.query = merged;
  if (req.method !== 'GET' && req.method !== 'HEAD') req.body = merged;
}
