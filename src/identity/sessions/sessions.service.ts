import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { randomHex, randomToken, sha256Hex, safeEqual } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { User } from '../users/user.entity.js';
import { sameClientNetwork } from './session-binding.js';
import { Session } from './session.entity.js';

export interface OpenedSession {
  token: string;
  csrfToken: string;
  session: Session;
}

export interface ActiveSession {
  session: Session;
  user: User;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'TRACE']);
/** Sliding expiry is written at most this often, so a busy session is not a write per request. */
const TOUCH_INTERVAL_MS = 30_000;

/**
 * Server-side sessions in PostgreSQL. The cookie carries a random token; the table keeps its
 * SHA-256. Idle expiry slides (BARONG_SESSION_EXPIRE_TIME), the absolute cap does not.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get cookieName(): string {
    return this.config.barong.sessionName;
  }

  get idleSeconds(): number {
    return this.config.barong.sessionExpireTime;
  }

  get absoluteSeconds(): number {
    return this.config.barong.sessionAbsoluteTime;
  }

  async open(user: User, meta: RequestMeta, manager: EntityManager = this.dataSource.manager): Promise<OpenedSession> {
    const token = randomToken(32);
    const csrfToken = randomHex(10);
    const now = new Date();
    const absolute = new Date(now.getTime() + this.absoluteSeconds * 1000);
    const session = manager.create(Session, {
      userId: user.id,
      tokenHash: sha256Hex(token),
      csrfToken,
      userIp: meta.ip,
      userAgent: meta.userAgent,
      lastSeenAt: now,
      expiresAt: new Date(Math.min(now.getTime() + this.idleSeconds * 1000, absolute.getTime())),
      absoluteExpiresAt: absolute,
      revokedAt: null,
    });
    await manager.save(session);
    return { token, csrfToken, session };
  }

  /**
   * Verifies a session cookie for a request, Barong's order: CSRF on writes, session exists,
   * binding (user agent, client network, expiry), sliding refresh, user state.
   */
  async authenticate(token: string | undefined, meta: RequestMeta, method: string, csrfHeader?: string): Promise<ActiveSession> {
    if (this.config.barong.csrfProtection && WRITE_METHODS.has(method.toUpperCase())) {
      if (!csrfHeader) throw AppError.unauthorized('authz.missing_csrf_token');
    }
    const found = token ? await this.findLive(token) : undefined;
    if (!found) throw AppError.unauthorized('authz.invalid_session');
    const { session, user } = found;
    if (this.config.barong.csrfProtection && WRITE_METHODS.has(method.toUpperCase())) {
      if (!safeEqual(csrfHeader ?? '', session.csrfToken)) throw AppError.unauthorized('authz.csrf_token_mismatch');
    }
    const now = Date.now();
    const bound =
      session.userAgent === meta.userAgent &&
      sameClientNetwork(session.userIp, meta.ip) &&
      session.expiresAt.getTime() > now &&
      session.absoluteExpiresAt.getTime() > now;
    if (!bound) {
      await this.revokeById(session.id);
      throw AppError.unauthorized('authz.client_session_mismatch');
    }
    if (now - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) await this.touch(session, now);
    if (user.state !== 'active' && user.state !== 'pending') throw AppError.unauthorized('authz.user_not_active');
    return { session, user };
  }

  /** The live (not revoked) session for a token with its user, or undefined. */
  async findLive(token: string): Promise<ActiveSession | undefined> {
    const session = await this.sessions.findOne({
      where: { tokenHash: sha256Hex(token), revokedAt: IsNull() },
      relations: { user: true },
    });
    if (!session?.user) return undefined;
    return { session, user: session.user };
  }

  private async touch(session: Session, now: number): Promise<void> {
    const expiresAt = new Date(Math.min(now + this.idleSeconds * 1000, session.absoluteExpiresAt.getTime()));
    session.lastSeenAt = new Date(now);
    session.expiresAt = expiresAt;
    await this.sessions.update({ id: session.id }, { lastSeenAt: session.lastSeenAt, expiresAt });
  }

  async revokeById(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.update(Session, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every session of a user, optionally keeping one (the caller's). Returns how many ended. */
  async revokeAllForUser(userId: string, exceptSessionId?: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const where = exceptSessionId
      ? { userId, revokedAt: IsNull(), id: Not(exceptSessionId) }
      : { userId, revokedAt: IsNull() };
    const result = await manager.update(Session, where, { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}
