import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import type { CredentialResolver } from '../../core/auth/credential-resolver.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { requestMeta } from '../../core/http/request-context.js';
import { SessionsService } from './sessions.service.js';

/** The Barong session cookie, read by the service's own routes (no gateway needed in front). */
@Injectable()
export class SessionCredentialResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'session' as const;
  readonly priority = 30;

  constructor(
    private readonly sessions: SessionsService,
    private readonly auth: AuthenticationService,
  ) {}

  onModuleInit(): void {
    this.auth.register(this);
  }

  present(req: FastifyRequest): boolean {
    return !!req.cookies?.[this.sessions.cookieName];
  }

  async resolve(req: FastifyRequest): Promise<BarongPrincipal> {
    const csrf = req.headers['x-csrf-token'];
    const { session, user } = await this.sessions.authenticate(
      req.cookies[this.sessions.cookieName],
      requestMeta(req),
      req.method,
      Array.isArray(csrf) ? csrf[0] : csrf,
    );
    return {
      kind: 'user',
      via: 'session',
      id: user.id,
      uid: user.uid,
      appId: user.appId,
      role: user.role,
      state: user.state,
      email: user.email ?? '',
      sessionId: session.id,
    };
  }
}
