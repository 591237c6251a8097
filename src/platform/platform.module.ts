import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FaceRegistry } from '../core/faces/face-registry.js';
import { PlatformAppsModule } from './apps/apps.module.js';
import { PlatformOauthModule } from './oauth/oauth.module.js';
import { PlatformOtpsModule } from './otps/otps.module.js';
import { PlatformPasswordsModule } from './passwords/passwords.module.js';
import { PLATFORM_FACE } from './platform.face.js';
import { PlatformSessionsModule } from './sessions/sessions.module.js';
import { PlatformTotpsModule } from './totps/totps.module.js';
import { PlatformTransfersModule } from './transfers/transfers.module.js';
import { PlatformUsersModule } from './users/users.module.js';
import { PlatformWalletsModule } from './wallets/wallets.module.js';

/** The /v1 face (Streambird-style platform API) over the shared identity store. */
@Module({
  imports: [
    PlatformAppsModule,
    PlatformUsersModule,
    PlatformSessionsModule,
    PlatformOtpsModule,
    PlatformTotpsModule,
    PlatformPasswordsModule,
    PlatformWalletsModule,
    PlatformTransfersModule,
    PlatformOauthModule,
  ],
})
export class PlatformModule implements OnModuleInit {
  constructor(
    faces: FaceRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    faces.register(PLATFORM_FACE);
  }

  /** SDKs send `Content-Type: application/json` with no body on GET and DELETE: /v1 reads that as `{}`. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || !fastify.hasContentTypeParser('application/json')) return;
    const defaultParser = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: fastify.initialConfig.bodyLimit }, (req: FastifyRequest, body: Buffer, done) => {
      (req as FastifyRequest & { rawBody?: Buffer }).rawBody = body;
      if (body.length === 0 || (body.length < 16 && body.toString('utf8').trim() === '')) {
        if ((req.url ?? '').startsWith('/v1/') || req.url === '/v1') return done(null, {});
      }
      defaultParser(req, body.toString('utf8'), done);
    });
  }
}
