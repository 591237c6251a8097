import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import type { CredentialResolver } from '../../core/auth/credential-resolver.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { BARONG_JWT_ISSUER, BARONG_JWT_STRATEGY } from './barong-jwt.strategy.js';

const HOLDER_STATES = new Set(['active', 'pending']);

/**
 * `Authorization: Bearer <JWT>` as minted by the gateway endpoint (iss "barong", sub "session"),
 * so the service also works behind a Barong-style gateway. Verification is the passport-jwt
 * strategy's (BarongJwtStrategy); this resolver runs it and applies Barong's state rule.
 */
@Injectable()
export class JwtCredentialResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'jwt' as const;
  readonly priority = 20;

  constructor(private readonly auth: AuthenticationService) {}

  onModuleInit(): void {
    this.auth.register(this);
    this.auth.registerJwtIssuer(BARONG_JWT_ISSUER, this.kind);
  }

  present(req: FastifyRequest): boolean {
    return this.auth.bearerKind(req) === this.kind;
  }

  async resolve(req: FastifyRequest): Promise<BarongPrincipal> {
    const principal = await new Promise<BarongPrincipal | false>((resolve, reject) => {
      passport.authenticate(BARONG_JWT_STRATEGY, { session: false }, (err: unknown, user: BarongPrincipal | false) => (err ? reject(err) : resolve(user)))(req, undefined, reject);
    });
    if (!principal) throw AppError.unauthorized('jwt.decode_and_verify');
    if (!HOLDER_STATES.has(principal.state)) throw AppError.unauthorized('authz.user_not_active');
    return principal;
  }
}
