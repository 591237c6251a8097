import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from '../app.module.js';
import type { AppConfig } from './config/app-config.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { dialectFor } from './http/error-dialects.js';
import { createValidationPipe } from './http/validation.js';
import { completeDocument, OPENAPI_DOCUMENT, OpenApiDocumentHolder } from './openapi.js';
import { PACKAGE_VERSION } from './version.js';

/** Upload limits; documents apply their own, stricter, per-route checks. */
const MULTIPART_LIMITS = { fileSize: 20 * 1024 * 1024, files: 10, fields: 50 };

/** Builds the application exactly as production runs it; tests call this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: 1024 * 1024,
    logger: false,
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true },
    // Errors Fastify raises before any route runs (a malformed URL) still speak the face's dialect.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const code = error.code === 'FST_ERR_BAD_URL' ? 'server.request.invalid_path' : 'server.request.invalid';
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(dialectFor(req.url ?? '/')(status, [code], String(req.id)));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: config.nodeEnv === 'test' ? ['error'] : levelsFrom(config.logLevel),
    bufferLogs: false,
    // Webhook receivers (the KYC provider callback) verify signatures over the exact bytes sent.
    rawBody: true,
  });
  await app.register(cookie as any);
  await app.register(multipart as any, { limits: MULTIPART_LIMITS });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({
    origin: config.barong.corsOrigins.includes('*') ? true : config.barong.corsOrigins,
    credentials: config.barong.corsAllowCredentials,
    maxAge: config.barong.corsMaxAge,
    methods: ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'],
  });
  app.enableShutdownHooks();
  setupSwagger(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function levelsFrom(level: AppConfig['logLevel']): ('error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1) as ('error' | 'warn' | 'log' | 'debug' | 'verbose')[];
}

function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Barong-compatible identity service')
    .setDescription(
      'Identity, sessions, 2FA, API keys, KYC and admin (Barong v2 face), the gateway authorization endpoint, ' +
        'and room for the network and platform faces. Errors on /api routes are `{"errors": ["code", ...]}`.',
    )
    .setVersion(PACKAGE_VERSION)
    .addCookieAuth('_barong_session', { type: 'apiKey', in: 'cookie', name: '_barong_session' }, 'session')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' }, 'csrf')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'jwt')
    .build();
  const document = completeDocument(SwaggerModule.createDocument(app, config));
  app.get<OpenApiDocumentHolder>(OPENAPI_DOCUMENT).document = document;
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerUiEnabled: false, raw: ['json'] });
  Logger.log('OpenAPI document at /docs-json, Swagger UI at /docs', 'Swagger');
}
