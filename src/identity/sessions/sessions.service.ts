import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, EntityManager, IsNull, Not, Repository } from 'typeorm';
import { ActivitiesService, type ActivityInput } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { randomHex, randomToken, sha256Hex, safeEqual } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { UserChangeHooks } from '../users/user-change-hooks.js';
import { User } from '../users/user.entity.js';
import { sameClientNetwork } from './session-binding.js';
import { Session } from './session.entity.js';
import { Clock } from '../../core/time/clock.js';
import { afterCommit } from '../../core/database/after-commit.js';

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
/**
 * Sliding expiry is written at most this often, so a busy session is not a write per request; at
 * most a quarter of the idle timeout, so a short timeout still slides instead of acting as a lifetime.
 */
const MAX_TOUCH_INTERVAL_MS = 30_000;
/**
 * Live sessions (with their user) are kept in process this long, keyed by token, so a busy
 * session is not a query per request. Revocation here evicts at once; another instance's revocation
 * or a user change is seen within this time.
 */
const LIVE_CACHE_TTL_MS = 1000;
const LIVE_CACHE_MAX = 100_000;
/**
 * Refresh-ahead reads of busy sessions are gathered this long and made as one query: 200 busy
 * sessions cost a handful of queries a second instead of hundreds.
 */
const REFRESH_BATCH_MS = 50;
const LOAD_BATCH_MAX = 500;

interface CachedSession {
  /** The cookie's token: a hit costs a map look-up, no hashing; only a miss hashes it to query. */
  key: string;
  found: ActiveSession;
  until: number;
  refreshAt: number;
}

/**
 * Server-side sessions in PostgreSQL. The cookie carries a random token; the table keeps its
 * SHA-256. Idle expiry slides (BARONG_SESSION_EXPIRE_TIME), the absolute cap does not.
 */
@Injectable()
export class SessionsService implements OnModuleInit {
  private readonly live = new Map<string, CachedSession>();
  private readonly liveById = new Map<string, CachedSession>();
  private readonly loading = new Map<string, Promise<ActiveSession | undefined>>();
  /** Ids of each user's live sessions, for Bearer JWTs bound to a session (kept as long as live sessions). */
  private readonly liveIds = new Map<string, { ids: string[]; until: number }>();
  /** Bumped by every eviction, so a read that raced with it is not cached. */
  private generation = 0;
  /** Misses in one tick share a query; background refreshes share one every REFRESH_BATCH_MS. */
  private readonly missLoader = new DataLoader<string, ActiveSession | undefined>((tokens) => this.loadMany(tokens), { cache: false, maxBatchSize: LOAD_BATCH_MAX });
  private readonly refreshLoader = new DataLoader<string, ActiveSession | undefined>((tokens) => this.loadMany(tokens), {
    cache: false,
    maxBatchSize: LOAD_BATCH_MAX,
    batchScheduleFn: (run) => setTimeout(run, REFRESH_BATCH_MS).unref(),
  });

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly userHooks: UserChangeHooks,
    private readonly clock: Clock,
    private readonly activities: ActivitiesService,
  ) {}

  onModuleInit(): void {
    this.userHooks.register(async (m, change) => this.evictUser(change.after.id, m));
  }

  get cookieName(): string {
    return this.config.barong.sessionName;
  }

  get idleSeconds(): number {
    return this.config.barong.sessionExpireTime;
  }

  get touchIntervalMs(): number {
    return Math.min(MAX_TOUCH_INTERVAL_MS, (this.idleSeconds * 1000) / 4);
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
   * Opens a session and writes its activity in one statement (one round trip instead of four for
   * BEGIN, two INSERTs and COMMIT); both rows or neither.
   */
  async openWithActivity(user: User, meta: RequestMeta, activity: ActivityInput, manager: EntityManager = this.dataSource.manager): Promise<OpenedSession> {
    const token = randomToken(32);
    const csrfToken = randomHex(10);
    const now = new Date();
    const absolute = new Date(now.getTime() + this.absoluteSeconds * 1000);
    const expires = new Date(Math.min(now.getTime() + this.idleSeconds * 1000, absolute.getTime()));
    const id = uuidv7();
    const values = [id, user.id, sha256Hex(token), csrfToken, meta.ip, meta.userAgent, now, expires, absolute];
    const audit = this.activities.insertStatement(activity, values.length + 1);
    const [row] = (await manager.query(
      `WITH activity AS (${audit.sql})
       INSERT INTO sessions (id, user_id, token_hash, csrf_token, user_ip, user_agent, last_seen_at, expires_at, absolute_expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7) RETURNING created_at`,
      [...values, ...audit.params],
    )) as { created_at: Date }[];
    const session = Object.assign(new Session(), {
      id,
      userId: user.id,
      tokenHash: values[2],
      csrfToken,
      userIp: meta.ip,
      userAgent: meta.userAgent,
      lastSeenAt: now,
      expiresAt: expires,
      absoluteExpiresAt: absolute,
      revokedAt: null,
      createdAt: row?.created_at ?? now,
    });
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
      (session.userIp === meta.ip || sameClientNetwork(session.userIp, meta.ip)) &&
      session.expiresAt.getTime() > now &&
      session.absoluteExpiresAt.getTime() > now;
    if (!bound) {
      await this.revokeById(session.id);
      throw AppError.unauthorized('authz.client_session_mismatch');
    }
    if (now - session.lastSeenAt.getTime() >= this.touchIntervalMs) await this.touch(session, now);
    if (user.state !== 'active' && user.state !== 'pending') throw AppError.unauthorized('authz.user_not_active');
    return { session, user };
  }

  /**
   * The live (not revoked) session for a token with its user, or undefined. Served from the
   * short-lived in-process cache when possible; concurrent misses for one token share one query.
   */
  async findLive(token: string): Promise<ActiveSession | undefined> {
    const now = this.clock.now();
    const cached = this.live.get(token);
    if (cached && cached.until > now) {
      // Refresh ahead in the second half of the entry's life, so a busy session never waits on it.
      if (now >= cached.refreshAt && !this.loading.has(token)) void this.reload(token, this.refreshLoader).catch(() => undefined);
      return cached.found;
    }
    if (cached) this.drop(cached);
    return this.reload(token, this.missLoader);
  }

  private reload(token: string, loader: DataLoader<string, ActiveSession | undefined>): Promise<ActiveSession | undefined> {
    let pending = this.loading.get(token);
    if (!pending) {
      pending = loader.load(token).finally(() => this.loading.delete(token));
      this.loading.set(token, pending);
    }
    return pending;
  }

  /** A cached live session by id (the gateway reads the user snapshot it was authenticated with). */
  cachedById(sessionId: string): ActiveSession | undefined {
    const entry = this.liveById.get(sessionId);
    return entry && entry.until > this.clock.now() ? entry.found : undefined;
  }

  /** The live sessions of several tokens with their users, in one query; cached unless an eviction raced with it. */
  private async loadMany(tokens: readonly string[]): Promise<(ActiveSession | undefined)[]> {
    const generation = this.generation;
    const hashes = tokens.map((token) => sha256Hex(token));
    // One query (findOne with a relation would add a DISTINCT pre-query).
    const rows = await this.sessions
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .where('s.tokenHash IN (:...hashes) AND s.revokedAt IS NULL', { hashes })
      .getMany();
    const byHash = new Map(rows.map((session) => [session.tokenHash, session]));
    const now = this.clock.now();
    return tokens.map((token, i) => {
      const session = byHash.get(hashes[i]!);
      if (!session?.user) {
        const stale = this.live.get(token);
        if (stale) this.drop(stale);
        return undefined;
      }
      const found = { session, user: session.user };
      // A revocation or user change while the rows were being read: serve them once, do not cache them.
      if (generation !== this.generation) return found;
      if (this.live.size >= LIVE_CACHE_MAX) this.sweep();
      const entry = { key: token, found, until: now + LIVE_CACHE_TTL_MS, refreshAt: now + LIVE_CACHE_TTL_MS / 2 };
      this.live.set(token, entry);
      this.liveById.set(session.id, entry);
      return found;
    });
  }

  private drop(entry: CachedSession): void {
    this.live.delete(entry.key);
    if (this.liveById.get(entry.found.session.id) === entry) this.liveById.delete(entry.found.session.id);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const entry of this.live.values()) if (entry.until <= now) this.drop(entry);
    if (this.live.size >= LIVE_CACHE_MAX) {
      this.live.clear();
      this.liveById.clear();
    }
  }

  /**
   * The ids of a user's live sessions (not revoked, not past either expiry), read at most once a
   * second per user; a revocation on this instance is seen at once, on another within the second.
   */
  async liveSessionIds(userId: string): Promise<string[]> {
    const now = this.clock.now();
    const hit = this.liveIds.get(userId);
    if (hit && hit.until > now) return hit.ids;
    const generation = this.generation;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND absolute_expires_at > now()`,
      [userId],
    );
    const ids = rows.map((r) => r.id);
    if (generation === this.generation) {
      if (this.liveIds.size >= LIVE_CACHE_MAX) this.liveIds.clear();
      this.liveIds.set(userId, { ids, until: now + LIVE_CACHE_TTL_MS });
    }
    return ids;
  }

  private evict(predicate: (found: ActiveSession) => boolean): void {
    this.generation++;
    this.liveIds.clear();
    for (const entry of this.live.values()) if (predicate(entry.found)) this.drop(entry);
  }

  /** Drops the cached sessions of a user (after a change to the user or their sessions); again when `manager`'s transaction commits. */
  evictUser(userId: string, manager?: EntityManager): void {
    this.settled(manager, () => this.evict((f) => f.user.id === userId));
  }

  /**
   * Evicts now, and again once `manager`'s transaction has committed: a read between the two
   * still sees the old rows (it began after this eviction, so its generation check passes) and
   * would cache them.
   */
  private settled(manager: EntityManager | undefined, evict: () => void): void {
    evict();
    if (manager) afterCommit(manager, evict);
  }

  /** Drops one cached entry (by session id or by token), bumping the generation as every eviction does. */
  private evictEntry(entry: CachedSession | undefined): void {
    this.generation++;
    this.liveIds.clear();
    if (entry) this.drop(entry);
  }

  private async touch(session: Session, now: number): Promise<void> {
    const expiresAt = new Date(Math.min(now + this.idleSeconds * 1000, session.absoluteExpiresAt.getTime()));
    session.lastSeenAt = new Date(now);
    session.expiresAt = expiresAt;
    await this.sessions.update({ id: session.id }, { lastSeenAt: session.lastSeenAt, expiresAt });
  }

  async revokeById(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    this.settled(manager, () => this.evictEntry(this.liveById.get(id)));
    await manager.update(Session, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends the session of a cookie token, if it is live (session rotation at sign-in). */
  async revokeToken(token: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    // The live cache is keyed by the token itself.
    this.settled(manager, () => this.evictEntry(this.live.get(token)));
    await manager.update(Session, { tokenHash: sha256Hex(token), revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every live session of every user (an enabled blocklogin restriction). Returns how many ended. */
  async revokeAll(manager: EntityManager = this.dataSource.manager): Promise<number> {
    this.settled(manager, () => this.evict(() => true));
    const result = await manager.update(Session, { revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  /** Ends every session of a user, optionally keeping one (the caller's). Returns how many ended. */
  async revokeAllForUser(userId: string, exceptSessionId?: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    this.settled(manager, () => this.evict((f) => f.user.id === userId && f.session.id !== exceptSessionId));
    const where = exceptSessionId
      ? { userId, revokedAt: IsNull(), id: Not(exceptSessionId) }
      : { userId, revokedAt: IsNull() };
    const result = await manager.update(Session, where, { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}
