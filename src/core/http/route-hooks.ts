import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

export type RouteHookName = 'onRequest' | 'preValidation' | 'onResponse';

/**
 * Appends a hook to one route as Fastify registers it (from an `onRoute` hook). Route-level hooks
 * run only for their route and can close over what was resolved for it, so the request path does
 * no per-request look-up of its route.
 */
export function appendRouteHook(route: RouteOptions, name: RouteHookName, hook: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void): void {
  const existing = route[name] as unknown;
  const list = Array.isArray(existing) ? existing : existing ? [existing] : [];
  (route as unknown as Record<string, unknown>)[name] = [...list, hook];
}
