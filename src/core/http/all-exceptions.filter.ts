import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import { isConnectionLoss, RETRY_AFTER_SECONDS } from './connection-loss.js';
import type { FaceRegistry } from '../faces/face-registry.js';

/** Fastify's own errors (body parsing, limits) carry a code and a status. */
interface FastifyLikeError {
  code?: string;
  statusCode?: number;
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'server.request.invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'server.request.invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'server.request.unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'server.request.body_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'server.request.invalid_content_length',
};

/** Maps every error to the face's dialect; unexpected errors become a 500 with the request id only. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly faces: FaceRegistry) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const face = this.faces.forRequest(req);
    const classified = { ...this.classify(exception, req), details: exception instanceof AppError ? exception.details : undefined };
    const { status, codes, details } = face.translate ? face.translate(classified) : classified;
    const errorContext = { requestId: String(req.id), details };
    reply.header('content-type', 'application/json; charset=utf-8');
    if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    if (status === 404 && codes[0] === 'route.not_found' && face.notFound) {
      const answer = face.notFound(errorContext);
      reply.status(answer.status).send(answer.body);
      return;
    }
    reply.status(status).send(face.renderError(status, codes, errorContext));
  }

  private classify(exception: unknown, req: FastifyRequest): { status: number; codes: string[] } {
    if (exception instanceof AppError) return { status: exception.status, codes: exception.codes };
    // Nest wraps Fastify's parser errors; the Fastify error travels as the cause.
    const cause = exception instanceof HttpException ? (exception.cause as FastifyLikeError | undefined) : undefined;
    if (cause?.code && FASTIFY_CODES[cause.code]) {
      return { status: cause.statusCode ?? (exception as HttpException).getStatus(), codes: [FASTIFY_CODES[cause.code]!] };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return { status, codes: ['route.not_found'] };
      if (status === 429) return { status, codes: ['server.too_many_requests'] };
      if (status < 500) return { status, codes: [`server.http.${status}`] };
    }
    if (isConnectionLoss(exception)) {
      this.logger.warn(`request ${req.id} ${req.method} ${(req.url ?? '').split('?')[0]} lost its database connection: ${(exception as Error)?.message}`);
      return { status: 503, codes: ['server.unavailable'] };
    }
    // A value the client sent that PostgreSQL cannot hold (number or timestamp out of range, NUL byte, ...).
    const sqlState = (exception as { driverError?: { code?: string } })?.driverError?.code;
    if (typeof sqlState === 'string' && sqlState.startsWith('22')) return { status: 422, codes: ['server.request.invalid_value'] };
    const fe = exception as FastifyLikeError;
    if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return { status: fe.statusCode, codes: [FASTIFY_CODES[fe.code ?? ''] ?? 'server.request.invalid'] };
    }
    this.logger.error(
      `request ${req.id} ${req.method} ${(req.url ?? '').split('?')[0]} failed`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return { status: 500, codes: ['server.internal_error'] };
  }
}
