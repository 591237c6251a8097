import cookie from '@fastify/cookie';
import { INestApplication, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from '../app.module.js';
import type { AppConfig } from './config/app-config.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { applyRouteBodyLimits } from './http/body-limits.js';
import { FaceRegistry } from './faces/face-registry.js';
import { discoverRoutes } from './faces/route-discovery.js';
import { createValidationPipe } from './http/validation.js';
import { installQueryOrBodyParams } from './http/request-params.js';
import { installCors } from './http/cors.js';
import { originForm } from './http/canonical-target.js';
import { clientErrorHandler, depthCheckedJsonParser, installRequestGate } from './http/request-gate.js';
import { acceptMultipartBodies } from './http/multipart-bodies.js';
import { completeDocument, faceDocument, OPENAPI_DOCUMENT, OpenApiDocumentHolder } from './openapi.js';
import { installHttpObservability } from './observability/http-observability.js';
import { JsonLogger } from './observability/json-logger.js';
import { MetricsService } from './observability/metrics.service.js';
import { requestIdGenerator } from './observability/request-id.js';
import { PACKAGE_VERSION } from './version.js';

const BODY_LIMIT = 1024 * 1024;

/** Builds the application exactly as production runs it; tests call this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const faces = new FaceRegistry();
  const adapter = new FastifyAdapter({
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: BODY_LIMIT,
    logger: false,
    // X-Request-Id is taken from the request only when a trusted proxy sent it.
    requestIdHeader: false,
    genReqId: requestIdGenerator(config.trustedProxies),
    routerOptions: { ignoreTrailingSlash: true },
    // Absolute-form targets are routed, screened and answered as their origin form.
    rewriteUrl: (req: { url?: string }) => originForm(req.url ?? '/'),
    clientErrorHandler: clientErrorHandler(faces),
    // Errors Fastify raises before any route runs (a malformed URL) still speak the face's dialect.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const code = error.code === 'FST_ERR_BAD_URL' ? 'server.request.invalid_path' : 'server.request.invalid';
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(faces.forPath(req.url ?? '/').renderError(status, [code], { requestId: String(req.id) }));
    },
  });
  const instance = adapter.getInstance();
  installRequestGate(instance, faces);
  // `text/json` is what the URnetwork apps send.
  for (const type of ['application/json', 'text/json']) adapter.useBodyParser(type, true, { bodyLimit: BODY_LIMIT }, depthCheckedJsonParser(instance, faces) as never);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, faces), adapter, {
    logger: loggerFor(config),
    bufferLogs: false,
    // Start-up failures reach the caller (main prints one line for them) instead of exiting inside Nest.
    abortOnError: false,
    // Webhook receivers (the KYC provider callback) verify signatures over the exact bytes sent.
    rawBody: true,
  });
  installHttpObservability(adapter.getInstance(), faces, app.get(MetricsService), { logContext: config.ops.logFormat === 'json' });
  applyRouteBodyLimits(adapter.getInstance());
  installQueryOrBodyParams(adapter.getInstance(), faces);
  await app.register(cookie as any);
  acceptMultipartBodies(instance);
  app.useGlobalFilters(new AllExceptionsFilter(faces));
  app.useGlobalPipes(createValidationPipe());
  installCors(adapter.getInstance(), {
    origins: config.barong.corsOrigins,
    credentials: config.barong.corsAllowCredentials,
    maxAgeSeconds: config.barong.corsMaxAge,
    methods: ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'],
  });
  app.enableShutdownHooks();
  await app.init();
  faces.setRoutes(discoverRoutes(app));
  setupSwagger(app, faces);
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function loggerFor(config: AppConfig): LoggerService | LogLevel[] {
  const levels = config.nodeEnv === 'test' ? (['error'] as LogLevel[]) : levelsFrom(config.logLevel);
  return config.ops.logFormat === 'json' ? new JsonLogger(levels) : levels;
}

function levelsFrom(level: AppConfig['logLevel']): ('error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1) as ('error' | 'warn' | 'log' | 'debug' | 'verbose')[];
}

function setupSwagger(app: INestApplication, faces: FaceRegistry): void {
  const config = new DocumentBuilder()
    .setTitle('Identity service: every face')
    .setDescription(
      faces
        .all()
        .map((face) => `**${face.title}**: ${face.description}`)
        .join('\n\n'),
    )
    .setVersion(PACKAGE_VERSION)
    .build();
  const document = completeDocument(SwaggerModule.createDocument(app, config), faces);
  const holder = app.get<OpenApiDocumentHolder>(OPENAPI_DOCUMENT);
  holder.document = document;
  for (const face of faces.all()) holder.byFace.set(face.name, faceDocument(document, face));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerUiEnabled: false, raw: ['json'] });
  Logger.log('OpenAPI documents at /docs-json and /docs/<face>-json, Swagger UI at /docs', 'Swagger');
}
