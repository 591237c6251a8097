import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { JwtService } from '../../core/crypto/jwt/jwt.service.js';
import { clientConfigOf, PgChannelListener } from '../../core/database/pg-channel-listener.js';
import { randomToken, sha256Hex } from '../../core/crypto/tokens.js';
import { UserChangeHooks } from '../../identity/users/user-change-hooks.js';
import { UsersService } from '../../identity/users/users.service.js';
import { DEFAULT_APP_ID } from '../../identity/tenants/app.entity.js';
import { goTime } from '../common/go-time.js';
import { isId } from '../common/ids.js';
import { NetworkSession } from './auth.entity.js';

/** The issuer claim of network JWTs (Bearer dispatch routes it to the network resolver). */
export const NETWORK_JWT_ISSUER = 'urnetwork';
/** Lifetime of every network JWT; the apps refresh at half of it (GET /auth/refresh). */
export const NETWORK_JWT_LIFETIME_SECONDS = 30 * 86_400;
/**
 * How long a session's validity (not revoked, owner not banned) is trusted between reads. Every
 * revocation and every change of an owner's state is announced to every instance in its
 * transaction (NOTIFY on CHANGES_CHANNEL), so this only bounds a change made outside the service.
 */
const SESSION_CACHE_MS = 60_000;
/** Network-face changes that cached answers depend on: `user:<id>`, `network:<id>`, `clients:<network id>`. */
export const CHANGES_CHANNEL = 'network_changes';
const TOKEN_CACHE_MAX = 20_000;

export interface NetworkTokenSubject {
  networkId: string;
  networkName: string;
  userId: string;
  /** The session secret (the `sid` claim). */
  sid: string;
  /** The root session's creation (the `create_time` claim); derived tokens copy it. */
  createTime: Date;
}

export interface ClientIdentity {
  clientId: string;
  deviceId: string;
}

/** Whether a client JWT's client is still active in its network, as the clients module knows. */
export type ClientCheck = (networkId: string, client: ClientIdentity) => Promise<boolean>;

/** A change of the network face, as announced to every instance. */
export type NetworkChange = { kind: 'user' | 'network' | 'clients'; id: string };

const LOCKED_OUT = new Set(['banned', 'deleted', 'locked']);

interface VerifiedToken {
  principal: NetworkPrincipal;
  sid: string;
  sidHash: string;
  createTime: Date;
  exp: number;
}

/**
 * Sessions and JWTs of the network face: signs admin (`by_jwt`) and client (`by_client_jwt`)
 * tokens with the service key store, and verifies them (signature with the pinned algorithm,
 * expiry, issuer, claim types, a live session, an owner who may still sign in, an active client).
 */
@Injectable()
export class NetworkTokens implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('NetworkTokens');
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly sessionState = new Map<string, { ok: boolean; sessionId?: string; networkId: string; userId: string; until: number }>();
  private clientCheck: ClientCheck = async () => true;
  private readonly changeListeners: ((change: NetworkChange | undefined) => void)[] = [];
  /** Bumped by every change this instance hears of: a session state read before it is not cached. */
  private generation = 0;
  private listener?: PgChannelListener;

  constructor(
    @InjectRepository(NetworkSession) private readonly sessions: Repository<NetworkSession>,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly userHooks: UserChangeHooks,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    this.userHooks.register(async (m, change) => {
      if (LOCKED_OUT.has(change.before.state) !== LOCKED_OUT.has(change.after.state)) await this.announce(m, { kind: 'user', id: change.after.id });
    });
    const parse = (payload: string): NetworkChange | undefined => {
      const [kind, id] = payload.split(':');
      return (kind === 'user' || kind === 'network' || kind === 'clients') && id ? { kind, id } : undefined;
    };
    // A lost notification (the listener was away) or an unreadable one forgets everything.
    this.listener = new PgChannelListener(clientConfigOf(this.dataSource, 'network-changes'), CHANGES_CHANNEL, (payload) => this.apply(parse(payload)), () => this.apply(undefined), this.logger);
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** Announces `change` to every instance when `m`'s transaction commits (and applies it here at once). */
  async announce(m: EntityManager, change: NetworkChange): Promise<void> {
    this.apply(change);
    await m.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, `${change.kind}:${change.id}`]);
  }

  /** Called with each change this instance hears of (undefined: anything may have changed). */
  onChange(listener: (change: NetworkChange | undefined) => void): void {
    this.changeListeners.push(listener);
  }

  private apply(change: NetworkChange | undefined): void {
    this.generation++;
    if (!change) this.sessionState.clear();
    else if (change.kind !== 'clients') {
      for (const [key, state] of this.sessionState) if ((change.kind === 'user' ? state.userId : state.networkId) === change.id) this.sessionState.delete(key);
    }
    for (const listener of this.changeListeners) listener(change);
  }

  setClientCheck(check: ClientCheck): void {
    this.clientCheck = check;
  }

  /** Opens a session; the returned subject's `sid` goes into the tokens. */
  async openSession(m: EntityManager, input: { networkId: string; networkName: string; userId: string; via: string }): Promise<NetworkTokenSubject & { sessionId: string }> {
    const sid = randomToken(24);
    const row = m.create(NetworkSession, { sidHash: sha256Hex(sid), networkId: input.networkId, userId: input.userId, via: input.via, revokedAt: null });
    await m.save(row);
    return { networkId: input.networkId, networkName: input.networkName, userId: input.userId, sid, createTime: row.createdAt, sessionId: row.id };
  }

  /** The session a token names (live or not). */
  findSession(sid: string, m: EntityManager = this.sessions.manager): Promise<NetworkSession | null> {
    return m.findOne(NetworkSession, { where: { sidHash: sha256Hex(sid) } });
  }

  adminJwt(subject: NetworkTokenSubject): Promise<string> {
    return this.jwt.signAsync(this.claims(subject));
  }

  clientJwt(subject: NetworkTokenSubject, client: ClientIdentity): Promise<string> {
    return this.jwt.signAsync({ ...this.claims(subject), client_id: client.clientId, device_id: client.deviceId });
  }

  private claims(s: NetworkTokenSubject): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: NETWORK_JWT_ISSUER,
      sub: s.userId,
      network_id: s.networkId,
      network_name: s.networkName,
      user_id: s.userId,
      create_time: goTime(s.createTime),
      sid: s.sid,
      iat: now,
      exp: now + NETWORK_JWT_LIFETIME_SECONDS,
    };
  }

  /** The subject of a verified principal, for minting derived tokens. */
  subjectOf(p: NetworkPrincipal, sid: string, createTime: Date): NetworkTokenSubject {
    return { networkId: p.networkId, networkName: p.networkName, userId: p.userId, sid, createTime };
  }

  /** The principal of a token, or undefined when it must be refused (401). */
  async verify(token: string): Promise<{ principal: NetworkPrincipal; sid: string; createTime: Date } | undefined> {
    let entry = this.verified.get(token);
    if (entry && entry.exp * 1000 < Date.now()) {
      this.verified.delete(token);
      entry = undefined;
    }
    if (!entry) {
      const claims = this.jwt.verify(token);
      if (!claims || claims.iss !== NETWORK_JWT_ISSUER || typeof claims.exp !== 'number') return undefined;
      const { network_id, network_name, user_id, client_id, device_id, sid: sidClaim, create_time } = claims;
      if (!isId(network_id) || typeof network_name !== 'string' || !isId(user_id) || typeof sidClaim !== 'string' || typeof create_time !== 'string') return undefined;
      const base = { via: 'network_jwt' as const, appId: DEFAULT_APP_ID, networkId: network_id, networkName: network_name, userId: user_id };
      let principal: NetworkPrincipal;
      if (client_id !== undefined || device_id !== undefined) {
        if (!isId(client_id) || !isId(device_id)) return undefined;
        principal = { ...base, kind: 'network_client', clientId: client_id, deviceId: device_id };
      } else {
        principal = { ...base, kind: 'network_admin' };
      }
      const createTime = new Date(create_time);
      if (Number.isNaN(createTime.getTime())) return undefined;
      entry = { principal, sid: sidClaim, sidHash: sha256Hex(sidClaim), createTime, exp: claims.exp };
      if (this.verified.size >= TOKEN_CACHE_MAX) this.verified.clear();
      this.verified.set(token, entry);
    }
    const sessionId = await this.liveSession(entry.sidHash, entry.principal);
    if (!sessionId) return undefined;
    const p = entry.principal;
    if (p.kind === 'network_client' && !(await this.clientCheck(p.networkId, { clientId: p.clientId, deviceId: p.deviceId }))) return undefined;
    return { principal: { ...p, sessionId }, sid: entry.sid, createTime: entry.createTime };
  }

  /** The session id when the session is live and its owner may sign in (cached for a second). */
  private async liveSession(sidHash: string, p: NetworkPrincipal): Promise<string | undefined> {
    const now = Date.now();
    const cached = this.sessionState.get(sidHash);
    if (cached && cached.until > now) return cached.ok ? cached.sessionId : undefined;
    const generation = this.generation;
    const row = await this.sessions.findOne({ where: { sidHash } });
    let ok = !!row && row.revokedAt === null && row.networkId === p.networkId && row.userId === p.userId;
    if (ok) {
      const user = await this.users.findById(p.userId);
      ok = !!user && !LOCKED_OUT.has(user.state);
    }
    // A change heard while this was read may not be in it: answer from it once, do not keep it.
    if (generation !== this.generation) return ok ? row!.id : undefined;
    if (this.sessionState.size >= TOKEN_CACHE_MAX) this.sessionState.clear();
    // Spread over the last fifth of the lifetime, so entries read together do not expire together.
    const until = now + SESSION_CACHE_MS - Math.floor(Math.random() * (SESSION_CACHE_MS / 5));
    this.sessionState.set(sidHash, { ok, sessionId: row?.id, networkId: p.networkId, userId: p.userId, until });
    return ok ? row!.id : undefined;
  }

  /** Ends every live session of a network but `exceptSessionId` (password-set ends the others). */
  async revokeNetworkSessions(m: EntityManager, networkId: string, exceptSessionIds: string[] = []): Promise<number> {
    const where = { networkId, revokedAt: IsNull(), ...(exceptSessionIds.length ? { id: Not(In(exceptSessionIds)) } : {}) };
    const result = await m.update(NetworkSession, where, { revokedAt: new Date() });
    await this.announce(m, { kind: 'network', id: networkId });
    return result.affected ?? 0;
  }

  async isLive(sessionId: string, m: EntityManager = this.sessions.manager): Promise<boolean> {
    return m.exists(NetworkSession, { where: { id: sessionId, revokedAt: IsNull() } });
  }
}
