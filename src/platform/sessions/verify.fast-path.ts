import { ForbiddenException, Injectable, OnModuleInit, type PipeTransform } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard } from '../../core/auth/auth.guard.js';
import type { AuthedRequest } from '../../core/auth/decorators.js';
import { FaceRegistry } from '../../core/faces/face-registry.js';
import { AllExceptionsFilter } from '../../core/http/all-exceptions.filter.js';
import { DEFAULT_BODY_LIMIT } from '../../core/http/body-limits.js';
import { depthCheckedJsonParser } from '../../core/http/request-gate.js';
import { createValidationPipe } from '../../core/http/validation.js';
import { callerAppOf } from '../common/app.decorator.js';
import { SessionsController, SessionVerifyDto } from './sessions.controller.js';

export const VERIFY_ROUTE = '/v1/auth/sessions/verify';

/** The JSON content types the SDKs send, as sent; any other goes the router's way. */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * A verify request the hook takes: a JSON body of a stated length within the route's limit. Any
 * other (chunked, another content type, too large, no body) goes through Fastify's parsers and
 * Nest's router, which answer every such case.
 */
export function isPlainVerify(req: FastifyRequest): boolean {
  if (req.method !== 'POST' || req.routeOptions.url !== VERIFY_ROUTE) return false;
  // The limit the route was registered with (see body-limits), so the two paths cannot disagree.
  const limit = req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const type = req.headers['content-type'];
  if (type === undefined || !PLAIN_JSON.has(type) || req.headers['transfer-encoding'] !== undefined) return false;
  const length = Number(req.headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= limit;
}

/**
 * `POST /v1/auth/sessions/verify` is what a customer's backend calls on every request it serves,
 * so it is answered from a Fastify onRequest hook (after the request gate, observability, cookie
 * and CORS hooks), as the gateway is. Fastify's content-type parsing, its preValidation and
 * preHandler stages and Nest's router pipeline cost about a seventh of the request; here the body
 * is read from the stream and given to the same depth-checked JSON parser every route uses, and
 * then the route's own steps run in Nest's order and with the same objects: the global guard, the
 * validation pipe on the body, the controller method, and the global exception filter for
 * anything thrown. The controller still documents the route and answers every request the hook
 * leaves to it (see isPlainVerify).
 */
@Injectable()
export class SessionVerifyFastPath implements OnModuleInit {
  private readonly pipe: PipeTransform = createValidationPipe();
  private readonly handler = SessionsController.prototype.verify;
  private filter!: AllExceptionsFilter;
  private guard!: AuthGuard;
  private controller!: SessionsController;
  private parse!: ReturnType<typeof depthCheckedJsonParser>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly faces: FaceRegistry,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!instance || typeof instance.addHook !== 'function') return;
    this.guard = this.moduleRef.get(AuthGuard, { strict: false });
    this.controller = this.moduleRef.get(SessionsController, { strict: false });
    this.filter = new AllExceptionsFilter(this.faces);
    this.parse = depthCheckedJsonParser(instance, this.faces);
    // A callback hook: every other request passes it without a promise. One it answers does not call done.
    instance.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (!isPlainVerify(req)) return done();
      this.readBody(req, reply);
    });
  }

  private readBody(req: FastifyRequest, reply: FastifyReply): void {
    const raw = req.raw;
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-body gets no answer, as on the router's path.
    raw.on('error', () => undefined);
    raw.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      this.parse(req, body, (err, value) => {
        if (err) return this.filter.catch(err, this.contextOf(req, reply));
        req.body = value;
        void this.answer(req, reply);
      });
    });
  }

  private contextOf(req: FastifyRequest, reply: FastifyReply): ExecutionContextHost {
    return new ExecutionContextHost([req, reply, undefined], SessionsController, this.handler);
  }

  private async answer(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const context = this.contextOf(req, reply);
    try {
      // As Nest's router does when a guard declines.
      if (!(await this.guard.canActivate(context))) throw new ForbiddenException('Forbidden resource');
      const body = (await this.pipe.transform(req.body, { type: 'body', metatype: SessionVerifyDto, data: undefined })) as SessionVerifyDto;
      const json = (await this.controller.verify(callerAppOf(req as AuthedRequest), body, reply)) as string;
      reply.code(200).send(json);
    } catch (err) {
      this.filter.catch(err, context);
    }
  }
}
