import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { FACE_METADATA, type FaceName } from '../faces/face.js';
import { FaceRegistry } from '../faces/face-registry.js';
import type { FastifyRequest } from 'fastify';

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
 * body winning where both name one. Runs before the validation pipes, so DTOs validate the merge.
 * Multipart and raw bodies are left as they are (their handlers read the parts themselves).
 */
@Injectable()
export class QueryOrBodyParams implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly faces: FaceRegistry,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const name = this.reflector.getAllAndOverride<FaceName>(FACE_METADATA, [ctx.getHandler(), ctx.getClass()]);
    if (!name || !this.faces.get(name).paramsFromQueryOrBody) return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (req.isMultipart() || (req.body !== undefined && req.body !== null && !isPlainBody(req.body))) return next.handle();
    const merged = { ...((req.query ?? {}) as Record<string, unknown>), ...(isPlainBody(req.body) ? req.body : {}) };
    req.query = merged;
    if (req.method !== 'GET' && req.method !== 'HEAD') req.body = merged;
    return next.handle();
  }
}
