import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { FaceRegistry, ResolvedRoute } from '../faces/face-registry.js';
import { appendRouteHook } from '../http/route-hooks.js';
import { logContext } from './log-context.js';
import type { MetricsService } from './metrics.service.js';

const UNMATCHED = 'unmatched';

/** The metric labels of one route and method, built on its first answer and reused after. */
class RouteMetrics {
  private readonly byStatus = new Map<number, { face: string; route: string; method: string; status: number }>();
  private readonly base: { face: string; route: string; method: string };
  private readonly limited: { face: string; route: string };
  private readonly login: boolean;

  constructor(
    private readonly metrics: MetricsService,
    route: string,
    method: string,
    resolved: ResolvedRoute,
  ) {
    const face = resolved.face.name;
    this.base = { face, route, method };
    this.limited = { face, route };
    this.login = route !== UNMATCHED && !!resolved.info?.login;
  }

  record(status: number, elapsedMs: number): void {
    let labels = this.byStatus.get(status);
    if (!labels) this.byStatus.set(status, (labels = { ...this.base, status }));
    this.metrics.requests.inc(labels);
    this.metrics.latency.observe(this.base, elapsedMs / 1000);
    if (status === 429) this.metrics.rateLimited.inc(this.limited);
    if (this.login) this.metrics.logins.inc({ face: this.base.face, result: status < 300 ? 'succeeded' : 'failed' });
  }
}

/**
 * Per request: the `X-Request-Id` answer header, the request id in the log context, and the
 * request's metrics (face from the registry, route pattern from the router, never the raw path).
 * Matched routes record from a hook of their own, with their labels resolved once; requests no
 * route matched are recorded by face of their path.
 */
export function installHttpObservability(fastify: FastifyInstance, faces: FaceRegistry, metrics: MetricsService, options: { logContext: boolean }): void {
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('x-request-id', req.id);
    // Only the JSON log lines read the context; running it turns on promise hooks for every
    // request (the gateway bench went from 6.5k to 8.5k req/s without it), so text logs go without.
    if (options.logContext) logContext.run({ requestId: String(req.id) }, done);
    else done();
  });
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const resolve = faces.resolverFor(route.url);
    const byMethod = new Map<string, RouteMetrics>();
    appendRouteHook(route, 'onResponse', (req, reply, done) => {
      let recorder = byMethod.get(req.method);
      if (!recorder) {
        recorder = new RouteMetrics(metrics, route.url, req.method, resolve(req.method));
        byMethod.set(req.method, recorder);
      }
      recorder.record(reply.statusCode, reply.elapsedTime);
      done();
    });
  });
  // Unmatched requests: one recorder per face and method (a flood of random paths adds none).
  const unmatched = new Map<string, RouteMetrics>();
  fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.is404) {
      const face = faces.forPath(req.url ?? '/');
      const key = `${face.name} ${req.method}`;
      let recorder = unmatched.get(key);
      if (!recorder) unmatched.set(key, (recorder = new RouteMetrics(metrics, UNMATCHED, req.method, { info: undefined, face })));
      recorder.record(reply.statusCode, reply.elapsedTime);
    }
    done();
  });
}
