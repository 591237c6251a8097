import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import type { OpenedSession } from './sessions.service.js';
import { SessionsService } from './sessions.service.js';

/**
 * The session cookie: HttpOnly, SameSite=Lax, lifetime = the session's absolute cap, and Secure
 * when the request arrived over TLS (directly, or as a trusted proxy's X-Forwarded-Proto says) or
 * the service is published at an https PUBLIC_URL (a TLS-terminating proxy that says nothing).
 */
@Injectable()
export class SessionCookie {
  private readonly publicHttps: boolean;

  constructor(
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicHttps = config.publicUrl.toLowerCase().startsWith('https://');
  }

  private secure(req: FastifyRequest): boolean {
    return this.publicHttps || req.protocol === 'https';
  }

  /**
   * Hands a freshly opened session to the browser. A session the browser still held ends here
   * (session rotation), so signing in never leaves an older session alive behind the new one.
   */
  async issue(req: FastifyRequest, reply: FastifyReply, opened: OpenedSession): Promise<void> {
    const previous = req.cookies?.[this.sessions.cookieName];
    if (previous && previous !== opened.token) await this.sessions.revokeToken(previous);
    reply.setCookie(this.sessions.cookieName, opened.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure(req),
      path: '/',
      maxAge: this.sessions.absoluteSeconds,
    });
  }

  clear(req: FastifyRequest, reply: FastifyReply): void {
    reply.clearCookie(this.sessions.cookieName, { httpOnly: true, sameSite: 'lax', secure: this.secure(req), path: '/' });
  }
}
