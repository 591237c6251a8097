import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import type { CredentialResolver } from '../../core/auth/credential-resolver.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { JwtService } from '../../core/crypto/jwt/jwt.service.js';
import { AppError } from '../../core/http/app-error.js';
import { SessionTokenBinding } from '../sessions/session-token-binding.js';
import { UsersService } from './users.service.js';

/**
 * `Authorization: Bearer <JWT>` as minted by the gateway endpoint (sub "session", iss "barong"),
 * so the service also works behind a Barong-style gateway. The user is re-read: a token does not
 * outlive a ban; and a token minted for a session is accepted only while that session lives (its
 * `jti` names the session, see SessionTokenBinding), so it does not outlive a logout or a reset.
 */
@Injectable()
export class JwtCredentialResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'jwt' as const;
  readonly priority = 20;

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly auth: AuthenticationService,
    private readonly binding: SessionTokenBinding,
  ) {}

  onModuleInit(): void {
    this.auth.register(this);
    this.auth.registerJwtIssuer('barong', this.kind);
  }

  present(req: FastifyRequest): boolean {
    return this.auth.bearerKind(req) === this.kind;
  }

  async resolve(req: FastifyRequest): Promise<BarongPrincipal> {
    const token = this.auth.bearerToken(req) ?? '';
    const claims = this.jwt.verify(token);
    if (!claims || claims.sub !== 'session' || typeof claims.uid !== 'string') throw AppError.unauthorized('jwt.decode_and_verify');
    const user = await this.users.findByUid(claims.uid);
    if (!user) throw AppError.unauthorized('jwt.decode_and_verify');
    if (user.state !== 'active' && user.state !== 'pending') throw AppError.unauthorized('authz.user_not_active');
    const binding = await this.binding.resolve(claims.jti, user.id, user.uid);
    if (!binding) throw AppError.unauthorized('jwt.decode_and_verify');
    return {
      kind: 'user',
      via: 'jwt',
      id: user.id,
      uid: user.uid,
      appId: user.appId,
      role: user.role,
      state: user.state,
      email: user.email ?? '',
      ...(binding.bound ? { sessionId: binding.sessionId } : {}),
    };
  }
}
