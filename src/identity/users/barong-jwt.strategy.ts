import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { JwtService } from '../../core/crypto/jwt/jwt.service.js';
import { SessionTokenBinding } from '../sessions/session-token-binding.js';
import { UsersService } from './users.service.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

/** Barong's gateway JWT claims (reference §1): who issues them, for whom, about what. */
export const BARONG_JWT_SUBJECT = 'session';
export const BARONG_JWT_ISSUER = 'barong';
export const BARONG_JWT_AUDIENCE = ['peatio', 'barong'];
export const BARONG_JWT_STRATEGY = 'barong-jwt';

/** A compact JWT's header, unverified (it only selects the key). */
function headerOf(token: string): { kid?: unknown; alg?: unknown } | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as unknown;
    return header && typeof header === 'object' ? (header as { kid?: unknown; alg?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** PEM exports of the verification keys, made once per key. */
const pems = new WeakMap<object, string>();

/**
 * `Authorization: Bearer <JWT>` as the gateway endpoint mints it, verified by passport-jwt with
 * the service's own key store: the key is chosen by `kid`, the algorithm pinned to that key's,
 * and `iss`, `aud`, `sub` and `exp` checked. The user is re-read, so a token does not outlive a ban.
 */
@Injectable()
export class BarongJwtStrategy extends PassportStrategy(Strategy, BARONG_JWT_STRATEGY) {
  constructor(
    jwt: JwtService,
    private readonly users: UsersService,
    private readonly binding: SessionTokenBinding,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      issuer: BARONG_JWT_ISSUER,
      audience: BARONG_JWT_AUDIENCE,
      algorithms: ['ES256', 'RS256'],
      ignoreExpiration: false,
      passReqToCallback: false,
      secretOrKeyProvider: (_req: FastifyRequest, rawJwt: string, done: (err: unknown, key?: string) => void) => {
        const header = headerOf(rawJwt);
        const key = typeof header?.kid === 'string' ? jwt.verificationKey(header.kid) : undefined;
        // A key is only ever used with its own algorithm (no RS/ES or HS confusion).
        if (!key || header?.alg !== key.alg) return done(null, undefined);
        let pem = pems.get(key.publicKey);
        if (!pem) {
          pem = key.publicKey.export({ format: 'pem', type: 'spki' }) as string;
          pems.set(key.publicKey, pem);
        }
        done(null, pem);
      },
    });
  }

  /** Called with verified claims; what it returns becomes the principal. */
  async validate(claims: Record<string, unknown>): Promise<BarongPrincipal | false> {
    if (claims.sub !== BARONG_JWT_SUBJECT || typeof claims.uid !== 'string') return false;
    const user = await this.users.findByUid(claims.uid, DEFAULT_APP_ID);
    if (!user) return false;
    const principal = { kind: 'user', via: 'jwt', id: user.id, uid: user.uid, appId: user.appId, role: user.role, state: user.state, email: user.email ?? '' } as const;
    // A user who may not hold a session is refused for that (by the resolver), whatever the token.
    if (user.state !== 'active' && user.state !== 'pending') return principal;
    // A token minted for a session lives only as long as that session (its jti names the session).
    const binding = await this.binding.resolve(claims.jti, user.id, user.uid);
    if (!binding) return false;
    return binding.bound ? { ...principal, sessionId: binding.sessionId } : principal;
  }
}
