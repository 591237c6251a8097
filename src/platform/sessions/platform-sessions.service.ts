import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, EntityManager, In, IsNull, MoreThan, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { clientConfigOf, PgChannelListener } from '../../core/database/pg-channel-listener.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { appPublicId, randomAlnum } from '../../identity/tenants/tenants.service.js';
import { badRequest, notFound } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { type DeviceFingerprint, unix } from '../common/input.js';
import type { PlatformUser } from '../users/user.entity.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import { AppSigningKeysService, SESSION_JWT_LIFETIME_SECONDS } from './app-signing-keys.service.js';
import type { SessionParams } from './session-params.js';
import { PlatformSession, type SessionFactor } from './session.entity.js';

/** Announces a changed or revoked session (or every session of a user) to every instance. */
const CHANNEL = 'platform_session_revoked';
/** How long a session read from the table is trusted (expiry changes made by other instances). */
/**
 * Sessions stay cached this long. Every change of a session (revocation, a factor added, an
 * extension) is announced to every instance in its transaction, and a copy that looks expired is
 * read again, so the lifetime only bounds changes made outside the service. A short lifetime made
 * a backend that verifies each user every few seconds miss the cache on every call.
 */
const CACHE_MS = 60_000;
/** A session JWT minted this recently for an unchanged session is handed out again. */
const JWT_REUSE_SECONDS = 30;
const FLUSH_MS = 1000;
const SESSION_CLAIM = 'https://streambird.io/jwt/session';

export interface SessionResult {
  session: Record<string, unknown> | null;
  session_token: string;
  session_jwt: string;
}

interface Cached {
  session: PlatformSession;
  until: number;
}

interface CachedJwt {
  jwt: Promise<string>;
  /** The JWT once signed. */
  signed?: string;
  reuseUntil: number;
  version: string;
}

/**
 * The look-up key of a JWT: the last 43 characters (256 bits) of its signature. A session JWT is
 * about 1.5 KB, a string that is new on every request, and a Map hashes all of a string key; the
 * tail of an RS256 signature is as unique as the whole. A forged JWT that copies a known tail only
 * misses the cache (the whole JWT is compared), and is verified as any other.
 */
const jwtKey = (jwt: string): string => (jwt.length > 43 ? jwt.slice(-43) : jwt);

const isLive = (s: PlatformSession, now = Date.now()): boolean => !s.revokedAt && s.expiresAt.getTime() > now;
/** A cached session that may be used without reading it again (one that looks expired is read: another instance may have extended it). */
const usable = (hit: Cached | undefined, now = Date.now()): PlatformSession | undefined => (hit && hit.until > now && isLive(hit.session, now) ? hit.session : undefined);
/** The last version string per session row object, with the expiry and factors array it was made from. */
const versions = new WeakMap<PlatformSession, { expires: number; factors: object; version: string }>();
/**
 * What a session JWT depends on besides time: expiry and factors (a change of factors assigns a
 * new array). The same string object while they stay the same, so comparing versions is cheap.
 */
const versionOf = (s: PlatformSession): string => {
  const expires = s.expiresAt.getTime();
  const kept = versions.get(s);
  if (kept && kept.expires === expires && kept.factors === s.factors) return kept.version;
  const version = `${expires}:${JSON.stringify(s.factors)}`;
  versions.set(s, { expires, factors: s.factors, version });
  return version;
};
/** The last sessions/verify answer per session row object, with what it depends on (see render). */
const renderedVerify = new WeakMap<PlatformSession, { expires: number; second: number; token: string; jwt: string; json: string }>();
/** Public ids per session row object (ids never change; the row is re-read after a change). */
const publicIds = new WeakMap<PlatformSession, { id: string; userId: string }>();
const publicIdsOf = (s: PlatformSession): { id: string; userId: string } => {
  let ids = publicIds.get(s);
  if (!ids) publicIds.set(s, (ids = { id: pid('sess', s.id), userId: pid('user', s.userId) }));
  return ids;
};

/**
 * /v1 sessions: an opaque token (stored hashed) and a short-lived RS256 JWT per app. Live sessions
 * are cached in memory; a revocation clears the caches of every instance (LISTEN/NOTIFY) and
 * last_active_at is written in batches, so verifying a session needs no database round trip.
 */
@Injectable()
export class PlatformSessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PlatformSessions');
  private readonly byHash = new Map<string, Cached>();
  private readonly byId = new Map<string, Cached>();
  /** The JWT handed out per session, as a promise: concurrent verifies of one session share one signature. */
  private readonly jwts = new Map<string, CachedJwt>();
  /**
   * JWTs whose signature this instance has checked, and the session each names (signatures do not
   * change), by the end of the signature (see jwtKey); a hit counts only when the whole JWT is equal.
   */
  private readonly verifiedJwts = new Map<string, { jwt: string; appId: string; id: string }>();
  /** Session reads in flight, by `h:<token hash>` or `i:<id>`. */
  private readonly loading = new Map<string, Promise<{ session: PlatformSession | null; generation: number }>>();
  /** Bumped by every change and eviction: a read begun before it is not remembered. */
  private generation = 0;
  private readonly activity = new Map<string, Date>();
  /** Cache misses in one tick are read in one query, by token hash or by id. */
  private readonly hashLoader = new DataLoader<string, PlatformSession | null>((hashes) => this.loadBy('tokenHash', hashes), { cache: false, maxBatchSize: 500 });
  private readonly idLoader = new DataLoader<string, PlatformSession | null>((ids) => this.loadBy('id', ids), { cache: false, maxBatchSize: 500 });
  private listener?: PgChannelListener;
  private flushTimer?: NodeJS.Timeout;
  private readonly issuerHost: string;

  constructor(
    @InjectRepository(PlatformSession) private readonly sessions: Repository<PlatformSession>,
    private readonly dataSource: DataSource,
    private readonly keys: AppSigningKeysService,
    private readonly users: PlatformUsersService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.issuerHost = config.publicUrl.replace(/^https?:\/\//, '');
  }

  async onModuleInit(): Promise<void> {
    this.users.addHook({ deleted: (m, user) => this.revokeAllOf(m, user.id) });
    this.listener = new PgChannelListener(clientConfigOf(this.dataSource, 'platform-sessions'), CHANNEL, (id) => this.changed(id), () => this.clearCaches(), this.logger);
    await this.listener.start();
    this.flushTimer = setInterval(() => void this.flushActivity(), FLUSH_MS);
    this.flushTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushActivity();
    await this.listener?.stop();
  }

  private clearCaches(): void {
    this.generation++;
    this.verifiedJwts.clear();
    this.byHash.clear();
    this.byId.clear();
    this.jwts.clear();
  }

  /** A change announced by an instance: the session it names, or every session of the user it names, is read again. */
  private changed(id: string): void {
    this.generation++;
    const hit = this.byId.get(id);
    if (hit) return this.forget(hit.session);
    for (const entry of [...this.byId.values()]) if (entry.session.userId === id) this.forget(entry.session);
  }

  private remember(s: PlatformSession): void {
    // Spread over the last fifth of the lifetime, so sessions read together do not expire together.
    const entry = { session: s, until: Date.now() + CACHE_MS - Math.floor(Math.random() * (CACHE_MS / 5)) };
    if (this.byId.size > 100_000) this.clearCaches();
    this.byId.set(s.id, entry);
    this.byHash.set(s.tokenHash, entry);
  }

  private forget(s: PlatformSession): void {
    this.generation++;
    this.byId.delete(s.id);
    this.byHash.delete(s.tokenHash);
    this.jwts.delete(s.id);
  }

  private async loadBy(column: 'tokenHash' | 'id', keys: readonly string[]): Promise<(PlatformSession | null)[]> {
    const rows = await this.sessions.find({ where: { [column]: In([...new Set(keys)]) } });
    const byKey = new Map(rows.map((row) => [row[column], row]));
    return keys.map((key) => byKey.get(key) ?? null);
  }

  private byToken(appId: string, token: string): Promise<PlatformSession | undefined> {
    const hash = sha256Hex(token);
    return this.liveInApp(appId, this.byHash.get(hash), `h:${hash}`, () => this.hashLoader.load(hash));
  }

  private byIdInApp(appId: string, id: string): Promise<PlatformSession | undefined> {
    return this.liveInApp(appId, this.byId.get(id), `i:${id}`, () => this.idLoader.load(id));
  }

  /**
   * One read per session at a time: callers that miss the cache while it is being read share
   * that read (a busy backend verifying one session from many connections would otherwise send
   * one query per request until the first answer is in). A read that overlapped a change is used
   * but not remembered.
   */
  private loadOnce(key: string, load: () => Promise<PlatformSession | null>): Promise<{ session: PlatformSession | null; generation: number }> {
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = load()
        .then((session) => ({ session, generation }))
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** The cached session, else the stored one (remembered); undefined unless it is live and the app's. */
  private async liveInApp(appId: string, hit: Cached | undefined, key: string, load: () => Promise<PlatformSession | null>): Promise<PlatformSession | undefined> {
    let s = usable(hit);
    if (!s) {
      const read = await this.loadOnce(key, load);
      s = read.session ?? undefined;
      if (s && read.generation === this.generation && this.byId.get(s.id)?.session !== s) this.remember(s);
    }
    if (!s) return undefined;
    return s.appId === appId && isLive(s) ? s : undefined;
  }

  /** The session a JWT names, when its signature is one of the app's keys (its `exp` may have passed). */
  private async byJwt(appId: string, jwt: string): Promise<PlatformSession | undefined> {
    let id = this.checkedJwt(appId, jwt);
    if (!id) {
      const claims = await this.keys.verify(appId, jwt);
      id = claims ? uuidOf('sess', claims.jti) : undefined;
      if (!id) return undefined;
      if (this.verifiedJwts.size > 100_000) this.verifiedJwts.clear();
      this.verifiedJwts.set(jwtKey(jwt), { jwt, appId, id });
    }
    return this.byIdInApp(appId, id);
  }

  /** The session id of a JWT whose signature this instance has already checked for the app. */
  private checkedJwt(appId: string, jwt: string): string | undefined {
    const known = this.verifiedJwts.get(jwtKey(jwt));
    return known && known.appId === appId && known.jwt === jwt ? known.id : undefined;
  }

  /** The live session the caller names by token and/or JWT; undefined when it names none. */
  async selected(appId: string, params: Pick<SessionParams, 'token' | 'jwt'>): Promise<PlatformSession | undefined> {
    if (!params.token && !params.jwt) return undefined;
    const byToken = params.token ? await this.byToken(appId, params.token) : undefined;
    const byJwt = params.jwt ? await this.byJwt(appId, params.jwt) : undefined;
    if (params.token && params.jwt && byToken && byJwt && byToken.id !== byJwt.id) throw badRequest('too_many_session_arguments');
    const session = params.token ? byToken : byJwt;
    if (!session || (params.token && params.jwt && !byJwt)) throw notFound('session_not_found');
    return session;
  }

  /**
   * After a method has authenticated `user`: no session asked for → none; a named session → the
   * factor is added to it (and its expiry moved when asked); else a new session with that factor.
   */
  async establish(
    m: EntityManager,
    user: PlatformUser,
    factor: SessionFactor,
    params: SessionParams,
    fingerprint: DeviceFingerprint,
  ): Promise<SessionResult> {
    const existing = await this.selected(user.appId, params);
    const now = new Date();
    if (existing) {
      if (existing.userId !== user.id) throw badRequest('user_id_mismatch');
      const locked = await m.findOneOrFail(PlatformSession, { where: { id: existing.id }, lock: { mode: 'pessimistic_write' } });
      locked.factors = mergeFactor(locked.factors, factor);
      if (params.expiresIn) locked.expiresAt = new Date(now.getTime() + params.expiresIn * 60_000);
      locked.lastActiveAt = now;
      await m.update(PlatformSession, { id: locked.id }, { factors: locked.factors as never, expiresAt: locked.expiresAt, lastActiveAt: now });
      await m.query('SELECT pg_notify($1, $2)', [CHANNEL, locked.id]);
      this.forget(locked);
      return { session: this.view(locked, params.token ?? ''), session_token: params.token ?? '', session_jwt: await this.jwtFor(locked) };
    }
    if (!params.expiresIn) return { session: null, session_token: '', session_jwt: '' };
    const token = randomAlnum(64);
    const session = m.create(PlatformSession, {
      id: uuidv7(),
      appId: user.appId,
      userId: user.id,
      tokenHash: sha256Hex(token),
      startedAt: now,
      expiresAt: new Date(now.getTime() + params.expiresIn * 60_000),
      lastActiveAt: now,
      factors: [factor],
      userAgent: fingerprint.user_agent,
      ip: fingerprint.ip,
      revokedAt: null,
    });
    await m.insert(PlatformSession, session as never);
    session.createdAt = now;
    session.updatedAt = now;
    return { session: this.view(session, token), session_token: token, session_jwt: await this.jwtFor(session) };
  }

  /**
   * sessions/verify, optionally extending the session, as JSON text. A backend polls the same
   * sessions many times a second: a verify that names one cached session, does not extend it and
   * finds its JWT signed is answered without waiting on anything, and the text is kept per session
   * row (see render).
   */
  verifyJson(appId: string, params: SessionParams): string | Promise<string> {
    if (!params.token && !params.jwt) throw badRequest('no_session_arguments');
    if (!params.expiresIn) {
      const session = this.cachedNamed(appId, params);
      const jwt = session && this.signedJwtOf(session);
      if (session && jwt !== undefined) return this.render(session, params.token ?? '', jwt, this.touch(session));
    }
    return this.verifyAndWait(appId, params);
  }

  private async verifyAndWait(appId: string, params: SessionParams): Promise<string> {
    const session = (await this.selected(appId, params))!;
    const now = new Date();
    session.lastActiveAt = now;
    if (params.expiresIn) {
      session.expiresAt = new Date(now.getTime() + params.expiresIn * 60_000);
      await this.dataSource.transaction(async (m) => {
        await m.update(PlatformSession, { id: session.id }, { expiresAt: session.expiresAt, lastActiveAt: now });
        await m.query('SELECT pg_notify($1, $2)', [CHANNEL, session.id]);
      });
      this.remember(session);
    } else {
      this.touch(session, now);
    }
    return this.render(session, params.token ?? '', await this.jwtFor(session), now);
  }

  /**
   * The live session of the app that exactly one of a token or an already checked JWT names,
   * when it is cached; undefined otherwise (selected then reads, checks and decides).
   */
  private cachedNamed(appId: string, params: Pick<SessionParams, 'token' | 'jwt'>): PlatformSession | undefined {
    let hit: Cached | undefined;
    if (params.token) {
      if (params.jwt) return undefined;
      hit = this.byHash.get(sha256Hex(params.token));
    } else {
      const id = this.checkedJwt(appId, params.jwt!);
      hit = id ? this.byId.get(id) : undefined;
    }
    const session = usable(hit);
    return session?.appId === appId ? session : undefined;
  }

  /** Records a verify: last_active_at now, written with the next batch. */
  private touch(session: PlatformSession, now = new Date()): Date {
    session.lastActiveAt = now;
    this.activity.set(session.id, now);
    return now;
  }

  /**
   * The answer only changes with the expiry, the second of last_active_at, the JWT handed out and
   * the token echoed, so the text is kept per session row for those and sent as it is.
   */
  private render(session: PlatformSession, token: string, jwt: string, now: Date): string {
    const expires = session.expiresAt.getTime();
    const second = unix(now);
    const kept = renderedVerify.get(session);
    // The JWT is the cached string itself while it is reused, so that comparison is by reference.
    if (kept && kept.expires === expires && kept.second === second && kept.jwt === jwt && kept.token === token) return kept.json;
    const json = JSON.stringify({ session: this.view(session, token), session_token: token, session_jwt: jwt } satisfies SessionResult);
    renderedVerify.set(session, { expires, second, token, jwt, json });
    return json;
  }

  async list(appId: string, user: PlatformUser): Promise<Record<string, unknown>[]> {
    const rows = await this.sessions.find({
      where: { appId, userId: user.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { id: 'DESC' },
    });
    return rows.map((s) => this.view(s, ''));
  }

  /** sessions/delete: exactly one of token, JWT or id. */
  async revoke(appId: string, selector: { token?: string; jwt?: string; id?: string }): Promise<void> {
    const given = [selector.token, selector.jwt, selector.id].filter(Boolean).length;
    if (given === 0) throw badRequest('no_session_arguments');
    if (given > 1) throw badRequest('too_many_session_arguments', 'Give exactly one of session_token, session_jwt or session_id');
    let session: PlatformSession | undefined;
    if (selector.token) session = await this.byToken(appId, selector.token);
    else if (selector.jwt) session = await this.byJwt(appId, selector.jwt);
    else {
      const id = uuidOf('sess', selector.id);
      session = id ? await this.byIdInApp(appId, id) : undefined;
    }
    if (!session) throw notFound('session_not_found');
    await this.dataSource.transaction(async (m) => {
      const res = await m.update(PlatformSession, { id: session.id, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!res.affected) throw notFound('session_not_found');
      await m.query('SELECT pg_notify($1, $2)', [CHANNEL, session.id]);
    });
    session.revokedAt = new Date();
    this.forget(session);
  }

  async revokeAllOf(m: EntityManager, userId: string): Promise<void> {
    await m.update(PlatformSession, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await m.query('SELECT pg_notify($1, $2)', [CHANNEL, userId]);
    this.clearCaches();
  }

  private async flushActivity(): Promise<void> {
    if (!this.activity.size) return;
    const entries = [...this.activity];
    this.activity.clear();
    try {
      await this.dataSource.query(
        'UPDATE platform_sessions s SET last_active_at = GREATEST(s.last_active_at, v.t) FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::timestamptz[]) AS t) v WHERE s.id = v.id',
        [entries.map((e) => e[0]), entries.map((e) => e[1].toISOString())],
      );
    } catch (e) {
      this.logger.warn(`could not record session activity: ${(e as Error).message}`);
    }
  }

  /** The session's JWT to hand out again, while it may be reused and once it is signed; else undefined. */
  private signedJwtOf(session: PlatformSession): string | undefined {
    const cached = this.jwts.get(session.id);
    return cached && cached.version === versionOf(session) && Math.floor(Date.now() / 1000) < cached.reuseUntil ? cached.signed : undefined;
  }

  private jwtFor(session: PlatformSession): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const version = versionOf(session);
    const cached = this.jwts.get(session.id);
    if (cached && cached.version === version && now < cached.reuseUntil) return cached.jwt;
    const jwt = this.mint(session, now);
    if (this.jwts.size > 100_000) this.jwts.clear();
    // Spread over the window, so sessions minted together are not all re-signed in the same tick.
    const entry: CachedJwt = { jwt, reuseUntil: now + JWT_REUSE_SECONDS / 2 + Math.floor(Math.random() * (JWT_REUSE_SECONDS / 2)), version };
    this.jwts.set(session.id, entry);
    jwt.then(
      (signed) => (entry.signed = signed),
      () => {
        if (this.jwts.get(session.id) === entry) this.jwts.delete(session.id);
      },
    );
    return jwt;
  }

  private mint(session: PlatformSession, now: number): Promise<string> {
    const exp = Math.min(now + SESSION_JWT_LIFETIME_SECONDS, unix(session.expiresAt));
    const app = appPublicId(session.appId);
    const body = this.view(session, '');
    delete body.session_token;
    return this.keys.sign(session.appId, {
      iss: `${this.issuerHost}/${app}`,
      aud: app,
      sub: pid('user', session.userId),
      jti: pid('sess', session.id),
      iat: now,
      nbf: now,
      exp,
      [SESSION_CLAIM]: body,
    });
  }

  view(s: PlatformSession, token: string): Record<string, unknown> {
    return {
      id: publicIdsOf(s).id,
      user_id: publicIdsOf(s).userId,
      session_token: token,
      started_at: unix(s.startedAt),
      expires_at: unix(s.expiresAt),
      last_active_at: unix(s.lastActiveAt),
      factors: s.factors,
      device_fingerprint: { user_agent: s.userAgent, ip: s.ip },
      permissions: [],
      deleted: false,
      deleted_at: 0,
      created_at: unix(s.createdAt ?? s.startedAt),
      updated_at: unix(s.updatedAt ?? s.lastActiveAt),
    };
  }

  repository(): Repository<PlatformSession> {
    return this.sessions;
  }
}

/** Adds a factor, or refreshes last_verified_at of the same method already on the session. */
export function mergeFactor(factors: SessionFactor[], factor: SessionFactor): SessionFactor[] {
  const same = (f: SessionFactor): boolean => f.type === factor.type && f.delivery_channel === factor.delivery_channel && f.method.method_id === factor.method.method_id;
  return factors.some(same) ? factors.map((f) => (same(f) ? factor : f)) : [...factors, factor];
}
