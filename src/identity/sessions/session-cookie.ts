import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The session cookie: HttpOnly, SameSite=Lax, Secure when the request arrived over TLS (directly,
 * or as a trusted proxy's X-Forwarded-Proto says), lifetime = the session's absolute cap.
 */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, name: string, token: string, maxAgeSeconds: number): void {
  reply.setCookie(name, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, name: string): void {
  reply.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', path: '/' });
}
