import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccessControl, type AccessRequest } from '../../core/auth/access-control.js';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import { isBarongPrincipal, sessionIdOf, type BarongPrincipal } from '../../core/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { JwtService } from '../../core/crypto/jwt/jwt.service.js';
import { AppError } from '../../core/http/app-error.js';
import { SessionsService } from '../../identity/sessions/sessions.service.js';
import { SessionTokenBinding } from '../../identity/sessions/session-token-binding.js';
import { UsersService } from '../../identity/users/users.service.js';
import { credentialOf, gatewayClaims, GatewayTokenCache, type Holder, reuseMarginSeconds } from './gateway-token.js';
import { Clock } from '../../core/time/clock.js';

/** Where Barong skips restriction screening: redeeming a whitelink must work from a banned network. */
const WHITELINK_PATH = 'api/v2/barong/identity/users/access';
const API_KEY_HEADERS = ['x-auth-apikey', 'x-auth-nonce', 'x-auth-signature'] as const;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'TRACE']);
/** Users behind API keys are re-read at most this often (their sessions are cached the same way). */
const HOLDER_TTL_MS = 1000;
const HOLDER_CACHE_MAX = 50_000;

export type GatewayDecision = { pass: true } | { pass: false; authorization: string };

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Barong's authz decision for one upstream request, in Barong's order: restrictions, block list,
 * OPTIONS, pass list, authentication (API key or session cookie), user state, permissions, then a
 * JWT for the upstream. Refusals are AppErrors with Barong's codes.
 */
@Injectable()
export class GatewayService {
  private readonly tokens = new GatewayTokenCache();
  private readonly holders = new Map<string, { holder: Holder; until: number }>();
  private readonly passRules: readonly string[];
  private readonly blockRules: readonly string[];

  constructor(
    private readonly auth: AuthenticationService,
    private readonly access: AccessControl,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly binding: SessionTokenBinding,
    private readonly clock: Clock,
  ) {
    this.passRules = config.barong.authzPassRules;
    this.blockRules = config.barong.authzBlockRules.map((rule) => rule.toLowerCase());
  }

  /** Block rules match case-insensitively, as DROP rules do: an upstream may route any spelling. */
  blocked(path: string): boolean {
    const lower = path.toLowerCase();
    return this.blockRules.some((rule) => lower.startsWith(rule));
  }

  passed(path: string): boolean {
    return this.passRules.some((rule) => path.startsWith(rule));
  }

  async decide(req: FastifyRequest, path: string): Promise<GatewayDecision> {
    const method = req.method.toUpperCase();
    const accessRequest: AccessRequest = {
      method,
      path,
      ip: req.ip,
      userAgent: String(req.headers['user-agent'] ?? ''),
      params: req.query as Record<string, unknown>,
      face: 'gateway',
      policy: 'permissions',
    };
    if (path !== WHITELINK_PATH) await this.access.screen(accessRequest);
    if (this.blocked(path)) throw AppError.unauthorized('authz.permission_denied');
    if (method === 'OPTIONS' || this.passed(path)) return { pass: true };

    const principal = await this.authenticate(req, method);
    if (principal.state !== 'active' && principal.state !== 'pending') throw AppError.unauthorized('authz.user_not_active');
    await this.access.authorize(principal, accessRequest);
    return { pass: false, authorization: this.authorizationFor(principal, this.cachedHolder(principal) ?? (await this.loadHolder(principal))) };
  }

  /** API-key flow when any X-Auth header is present, otherwise the session cookie flow. */
  private async authenticate(req: FastifyRequest, method: string): Promise<BarongPrincipal> {
    const apiKey = API_KEY_HEADERS.some((h) => req.headers[h] !== undefined);
    const principal = await this.auth.authenticate(req, apiKey ? ['api_key'] : ['session']);
    if (isBarongPrincipal(principal)) return principal;
    // No session cookie at all: Barong still checks CSRF first on writes (against an empty session).
    if (!apiKey && this.config.barong.csrfProtection && WRITE_METHODS.has(method)) {
      if (!firstHeader(req.headers['x-csrf-token'])) throw AppError.unauthorized('authz.missing_csrf_token');
      throw AppError.unauthorized('authz.csrf_token_mismatch');
    }
    throw AppError.unauthorized('authz.invalid_session');
  }

  /** `Bearer <JWT>` for the principal, reused until the token is within the safety margin of expiry. */
  private authorizationFor(principal: BarongPrincipal, holder: Holder): string {
    const credential = credentialOf(principal);
    const kid = this.jwt.activeKid;
    const now = Date.now();
    const cached = this.tokens.get(credential, holder, kid, now);
    if (cached) return cached;
    const lifetime = this.config.barong.jwtExpireTime;
    const iat = Math.floor(now / 1000);
    const jti = this.binding.jti(sessionIdOf(principal), holder.uid);
    const authorization = `Bearer ${this.jwt.sign(gatewayClaims(holder, iat, lifetime, jti))}`;
    this.tokens.set(credential, holder, kid, authorization, (iat + lifetime - reuseMarginSeconds(lifetime)) * 1000);
    return authorization;
  }

  /** The claims' subject without a query: the principal itself, the cached session row, or a recent read. */
  private cachedHolder(principal: BarongPrincipal): Holder | undefined {
    if (principal.kind === 'service_account') {
      return { kind: 'service_account', uid: principal.uid, email: principal.email, role: principal.role, level: principal.level ?? 0, state: principal.state };
    }
    const sessionId = sessionIdOf(principal);
    const fromSession = sessionId ? this.sessions.cachedById(sessionId)?.user : undefined;
    if (fromSession && fromSession.id === principal.id) return this.userHolder(principal, fromSession);
    const hit = this.holders.get(principal.id);
    if (hit && hit.until > this.clock.now()) return { ...hit.holder, role: principal.role, state: principal.state, email: principal.email };
    return undefined;
  }

  /** Users behind API keys (whose principal lacks username and referrer): read, kept a second. */
  private async loadHolder(principal: BarongPrincipal): Promise<Holder> {
    const user = await this.users.findById(principal.id);
    const holder = this.userHolder(principal, user ?? undefined);
    if (this.holders.size >= HOLDER_CACHE_MAX) this.holders.clear();
    this.holders.set(principal.id, { holder, until: this.clock.now() + HOLDER_TTL_MS });
    return holder;
  }

  private userHolder(principal: BarongPrincipal, user?: { username: string | null; level: number; referralId: string | null }): Holder {
    return {
      kind: 'user',
      uid: principal.uid,
      email: principal.email,
      role: principal.role,
      state: principal.state,
      level: user?.level ?? principal.level ?? 0,
      username: user?.username ?? null,
      referralId: user?.referralId ?? null,
    };
  }
}
