import { Module } from '@nestjs/common';
import { Auth0ConfigController, Auth0SessionsController } from './auth0.controller.js';
import { Auth0Service } from './auth0.service.js';
import { Auth0IdTokenVerifier, ID_TOKEN_VERIFIER } from './id-token-verifier.js';

/** Login with an OpenID Connect ID token (Auth0). */
@Module({
  controllers: [Auth0SessionsController, Auth0ConfigController],
  providers: [Auth0Service, { provide: ID_TOKEN_VERIFIER, useClass: Auth0IdTokenVerifier }],
})
export class Auth0Module {}
