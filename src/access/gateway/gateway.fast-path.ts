import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/http/app-error.js';
import { isConnectionLoss, RETRY_AFTER_SECONDS } from '../../core/http/connection-loss.js';
import { GATEWAY_FACE } from './gateway.face.js';
import { capturedPath, GATEWAY_PREFIX } from './gateway.controller.js';
import { GatewayService } from './gateway.service.js';

/** True for /api/v2/auth, /api/v2/auth/..., /api/v2/auth?... */
export function isGatewayUrl(url: string): boolean {
  if (!url.startsWith(GATEWAY_PREFIX)) return false;
  const next = url.charCodeAt(GATEWAY_PREFIX.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

/**
 * The gateway is called for every upstream request, so it is answered from a Fastify onRequest
 * hook (after the cookie and CORS hooks, before body parsing and Nest's router pipeline), which
 * roughly halves the framework cost per call. The decision is the same GatewayService.decide the
 * controller runs; the controller documents the route and answers it if the hook is absent.
 */
@Injectable()
export class GatewayFastPath implements OnModuleInit {
  private readonly logger = new Logger('Gateway');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly gateway: GatewayService,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!instance || typeof instance.addHook !== 'function') return;
    // A callback hook: every other request passes it without a promise. One it answers does not call done.
    instance.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (!isGatewayUrl(req.url)) return done();
      void this.answer(req, reply);
    });
  }

  private async answer(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const decision = await this.gateway.decide(req, capturedPath(req.url));
      if (!decision.pass) reply.header('authorization', decision.authorization);
      reply.code(200).send();
    } catch (err) {
      const known = err instanceof AppError;
      const lost = !known && isConnectionLoss(err);
      if (!known && !lost) this.logger.error(`request ${req.id} ${req.method} ${req.url.split('?')[0]} failed`, err instanceof Error ? err.stack : String(err));
      const status = known ? err.status : lost ? 503 : 500;
      if (lost) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      reply
        .code(status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(GATEWAY_FACE.renderError(status, known ? err.codes : [lost ? 'server.unavailable' : 'server.internal_error'], { requestId: String(req.id) }));
    }
  }
}
