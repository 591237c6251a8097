import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { PasswordHasher } from '../../core/crypto/password-hasher.js';
import { randomDigits, randomHex, safeEqual, sha256Hex } from '../../core/crypto/tokens.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { LabelsService } from '../../identity/labels/labels.service.js';
import { SessionsService } from '../../identity/sessions/sessions.service.js';
import type { User } from '../../identity/users/user.entity.js';
import { UsersService } from '../../identity/users/users.service.js';
import { businessError } from '../common/business-error.js';
import type { Network } from '../networks/network.entity.js';
import { NetworksService } from '../networks/networks.service.js';
import { NetworkAuthCode, NetworkUserCode } from './auth.entity.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { NetworkMessages } from './network-messages.js';
import { NetworkTokens, type NetworkTokenSubject } from './network-tokens.service.js';
import { parseUserAuth, type UserAuth } from './user-auth.js';
import { DEFAULT_APP_ID } from '../../identity/tenants/app.entity.js';

const CODE_LIFETIME_MS = 4 * 3600_000;
const MIN_PASSWORD_LENGTH = 8;
const MAX_AUTH_CODE_MINUTES = 24 * 60;
const MAX_AUTH_CODE_USES = 100;
const MAX_ACTIVE_AUTH_CODES = 100;
/** Mails or texts a user may trigger per address per hour (against message bombing). */
const MESSAGE_LIMIT = 5;
const LOCKED_OUT = new Set(['banned', 'deleted', 'locked']);
const CODE_PURPOSE_HASH = (userId: string, purpose: string, code: string): string => sha256Hex(`${purpose}:${userId}:${code}`);

export interface NetworkCreateInput {
  userName?: string;
  userAuth?: string;
  password?: string;
  networkName?: string;
  terms?: boolean;
  authJwt?: string;
  numeric?: boolean;
  referralNetworkId?: string | null;
}

/** Sign-up, sign-in, verification, password reset and auth codes of the network face. */
@Injectable()
export class NetworkAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly labels: LabelsService,
    private readonly barongSessions: SessionsService,
    private readonly networks: NetworksService,
    private readonly tokens: NetworkTokens,
    private readonly limiter: AttemptLimiter,
    private readonly messages: NetworkMessages,
    private readonly activities: ActivitiesService,
    private readonly counters: CounterStore,
  ) {}

  private findUser(auth: UserAuth, m?: EntityManager): Promise<User | null> {
    return auth.kind === 'email' ? this.users.findByEmail(auth.value, DEFAULT_APP_ID, m) : this.users.findByPhoneNumber(auth.value, DEFAULT_APP_ID, m);
  }

  /** Verified means the private label of the address it signs in with (e-mail verification makes the user active on Barong too). */
  async isVerified(user: User, auth: UserAuth, m?: EntityManager): Promise<boolean> {
    const label = await this.labels.find(user.id, auth.kind, 'private', m);
    return label?.value === 'verified';
  }

  async login(userAuth: string | undefined, authJwt: string | undefined): Promise<Record<string, unknown>> {
    if (userAuth !== undefined && userAuth !== '') {
      const auth = parseUserAuth(userAuth);
      if (!auth) throw businessError('Invalid email or phone number.');
      const user = await this.findUser(auth);
      if (!user) return { user_auth: auth.value };
      return { user_auth: auth.value, auth_allowed: ['password'] };
    }
    if (authJwt) throw businessError('Invalid login credentials.');
    throw businessError('Invalid login.');
  }

  private async sessionFor(m: EntityManager, network: Network, user: User, via: string, meta: RequestMeta, action: string): Promise<NetworkTokenSubject> {
    const subject = await this.tokens.openSession(m, { networkId: network.id, networkName: network.name, userId: user.id, via });
    await this.activities.record({ userId: user.id, topic: 'session', action, result: 'succeed', meta, data: { face: 'network', network_id: network.id } }, m);
    return subject;
  }

  async loginWithPassword(userAuth: string, password: string, numeric: boolean, meta: RequestMeta): Promise<Record<string, unknown>> {
    const auth = parseUserAuth(userAuth);
    if (!auth) throw businessError('Invalid user auth.');
    await this.limiter.check(auth.value, meta.ip);
    const user = await this.findUser(auth);
    const digest = user ? await this.users.passwordDigest(user.id) : null;
    const ok = await this.hasher.verify(digest, password);
    const network = user ? await this.networks.findByOwner(user.id) : null;
    if (!user || !ok || !network || LOCKED_OUT.has(user.state)) {
      await this.limiter.fail(auth.value, meta.ip);
      if (user) await this.activities.record({ userId: user.id, topic: 'session', action: 'network login', result: 'failed', meta, data: { face: 'network', reason: ok ? 'not allowed' : 'wrong password' } });
      throw businessError('Invalid user or password.');
    }
    if (!(await this.isVerified(user, auth))) {
      await this.sendVerifyCode(user, auth, numeric);
      return { verification_required: { user_auth: auth.value }, network: { name: network.name } };
    }
    const subject = await this.dataSource.transaction((m) => this.sessionFor(m, network, user, 'password', meta, 'network login'));
    return { network: { by_jwt: await this.tokens.adminJwt(subject) } };
  }

  private async messageAllowed(auth: UserAuth): Promise<boolean> {
    return (await this.counters.hit(`network:messages:${sha256Hex(auth.value)}`, 3600)) <= MESSAGE_LIMIT;
  }

  /** Issues a verification code (replacing earlier ones) and sends it. */
  private async issueCode(m: EntityManager, user: User, purpose: 'verify' | 'reset', numeric: boolean): Promise<string> {
    const code = purpose === 'reset' ? randomHex(64) : numeric ? randomDigits(6) : randomHex(4);
    await m.delete(NetworkUserCode, { userId: user.id, purpose });
    const codeHash = purpose === 'reset' ? sha256Hex(code) : CODE_PURPOSE_HASH(user.id, purpose, code);
    await m.insert(NetworkUserCode, { userId: user.id, purpose, codeHash, expiresAt: new Date(Date.now() + CODE_LIFETIME_MS), usedAt: null });
    return code;
  }

  private async sendVerifyCode(user: User, auth: UserAuth, numeric: boolean, m?: EntityManager): Promise<void> {
    if (!(await this.messageAllowed(auth))) return;
    const run = async (tx: EntityManager): Promise<void> => {
      const code = await this.issueCode(tx, user, 'verify', numeric);
      await this.messages.verifyCode(tx, auth, code);
    };
    await (m ? run(m) : this.dataSource.transaction(run));
  }

  async networkCreate(input: NetworkCreateInput, meta: RequestMeta): Promise<Record<string, unknown>> {
    const pre = parseUserAuth(input.userAuth);
    await this.limiter.check(pre?.value, meta.ip);
    if (input.terms !== true) throw businessError('The terms of service and privacy policy must be accepted.');
    if (!input.networkName || !(await this.networks.nameAvailable(input.networkName))) throw businessError('Network name not available.');
    if (input.userAuth === undefined || input.userAuth === '') {
      if (input.authJwt) throw businessError('Invalid login credentials.');
      throw businessError('Invalid login.');
    }
    const auth = pre;
    if (!auth) throw businessError('Invalid email or phone number.');
    if (typeof input.password !== 'string' || input.password.length < MIN_PASSWORD_LENGTH) {
      throw businessError(`Password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (await this.findUser(auth)) throw businessError('Account might already exist. Please start over.');
    try {
      const network = await this.dataSource.transaction(async (m) => {
        const user = await this.users.create(
          { appId: DEFAULT_APP_ID, email: auth.kind === 'email' ? auth.value : null, phoneNumber: auth.kind === 'phone' ? auth.value : null, password: input.password, state: 'pending' },
          m,
        );
        const created = await this.networks.create(m, { name: input.networkName!, ownerUserId: user.id, referrerNetworkId: input.referralNetworkId ?? null });
        await this.activities.record({ userId: user.id, topic: 'account', action: 'network create', result: 'succeed', meta, data: { face: 'network', network_id: created.id, network_name: created.name } }, m);
        const code = await this.issueCode(m, user, 'verify', input.numeric ?? false);
        await this.messages.verifyCode(m, auth, code);
        return created;
      });
      await this.counters.hit(`network:messages:${sha256Hex(auth.value)}`, 3600);
      return { network: { network_id: network.id, network_name: network.name }, verification_required: { user_auth: auth.value } };
    } catch (err) {
      const constraint = (err as { driverError?: { constraint?: string } }).driverError?.constraint ?? '';
      if (constraint === 'uq_network_networks_name_key') throw businessError('Network name not available.');
      if (constraint.startsWith('uq_users_')) throw businessError('Account might already exist. Please start over.');
      throw err;
    }
  }

  async verify(userAuth: string, verifyCode: string, meta: RequestMeta): Promise<Record<string, unknown>> {
    const auth = parseUserAuth(userAuth);
    if (!auth) throw businessError('Invalid user auth.');
    await this.limiter.check(auth.value, meta.ip);
    const user = await this.findUser(auth);
    const code = verifyCode.trim().toLowerCase();
    const result = await this.dataSource.transaction(async (m) => {
      if (!user || LOCKED_OUT.has(user.state)) return undefined;
      const row = await m.findOne(NetworkUserCode, { where: { userId: user.id, purpose: 'verify' }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.expiresAt.getTime() < Date.now() || !safeEqual(row.codeHash, CODE_PURPOSE_HASH(user.id, 'verify', code))) return undefined;
      const network = await this.networks.findByOwner(user.id, m);
      if (!network) return undefined;
      await m.delete(NetworkUserCode, { id: row.id });
      const wasVerified = await this.isVerified(user, auth, m);
      await this.labels.setPrivate(m, user.id, auth.kind, 'verified');
      await this.activities.record({ userId: user.id, topic: 'account', action: auth.kind === 'email' ? 'email confirmation' : 'phone confirmation', result: 'succeed', meta, data: { face: 'network' } }, m);
      if (!wasVerified) await this.messages.welcome(m, auth, network.name);
      return this.sessionFor(m, network, user, 'verify', meta, 'network login');
    });
    if (!result) {
      await this.limiter.fail(auth.value, meta.ip);
      throw businessError('Invalid code.');
    }
    return { network: { by_jwt: await this.tokens.adminJwt(result) } };
  }

  /** Sends a new verification code to an existing, unverified user; answers the same for anyone. */
  async verifySend(userAuth: string, numeric: boolean): Promise<Record<string, unknown>> {
    const auth = parseUserAuth(userAuth);
    if (!auth) throw businessError('Invalid user auth.');
    const user = await this.findUser(auth);
    if (user && !LOCKED_OUT.has(user.state) && !(await this.isVerified(user, auth))) await this.sendVerifyCode(user, auth, numeric);
    return { user_auth: auth.value };
  }

  async passwordReset(userAuth: string): Promise<Record<string, unknown>> {
    const auth = parseUserAuth(userAuth);
    if (!auth) throw businessError('Invalid user auth.');
    const user = await this.findUser(auth);
    if (user && !LOCKED_OUT.has(user.state) && (await this.messageAllowed(auth))) {
      await this.dataSource.transaction(async (m) => {
        const code = await this.issueCode(m, user, 'reset', false);
        await this.messages.resetCode(m, auth, code);
      });
    }
    return { user_auth: auth.value };
  }

  /** Sets the password with a mailed reset code; every session of the user's network ends. */
  async passwordSet(resetCode: string, password: string, meta: RequestMeta): Promise<Record<string, unknown>> {
    await this.limiter.check(undefined, meta.ip);
    if (password.length < MIN_PASSWORD_LENGTH) throw businessError(`Password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    const done = await this.dataSource.transaction(async (m) => {
      const row = await m.findOne(NetworkUserCode, { where: { codeHash: sha256Hex(resetCode.trim().toLowerCase()), purpose: 'reset' }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.expiresAt.getTime() < Date.now()) return false;
      const user = await this.users.findById(row.userId, m);
      if (!user || LOCKED_OUT.has(user.state)) return false;
      await m.delete(NetworkUserCode, { id: row.id });
      await this.users.setPassword(user.id, password, m);
      const network = await this.networks.findByOwner(user.id, m);
      if (network) await this.tokens.revokeNetworkSessions(m, network.id);
      await this.barongSessions.revokeAllForUser(user.id, undefined, m);
      await this.activities.record({ userId: user.id, topic: 'password', action: 'password reset', result: 'succeed', meta, data: { face: 'network' } }, m);
      const to: UserAuth | null = user.email ? { kind: 'email', value: user.email } : user.phoneNumber ? { kind: 'phone', value: user.phoneNumber } : null;
      if (to) await this.messages.passwordChanged(m, to);
      return true;
    });
    if (!done) {
      await this.limiter.fail(undefined, meta.ip);
      throw businessError('Invalid login.');
    }
    return {};
  }

  async codeCreate(p: NetworkPrincipal, durationMinutes: number | undefined, uses: number | undefined, meta: RequestMeta): Promise<Record<string, unknown>> {
    if (p.kind !== 'network_admin') throw businessError('A client JWT cannot create an auth code.', { auth_code_limit_exceeded: true });
    const minutes = Math.min(MAX_AUTH_CODE_MINUTES, durationMinutes && durationMinutes > 0 ? durationMinutes : 1);
    const count = Math.min(MAX_AUTH_CODE_USES, uses && uses > 0 ? Math.floor(uses) : 1);
    const code = randomBytes(512).toString('base64url');
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`network-auth-codes:${p.networkId}`]);
      await m.delete(NetworkAuthCode, { networkId: p.networkId, expiresAt: LessThan(new Date()) });
      if ((await m.count(NetworkAuthCode, { where: { networkId: p.networkId } })) >= MAX_ACTIVE_AUTH_CODES) {
        throw businessError('Auth code limit exceeded.', { auth_code_limit_exceeded: true });
      }
      const session = p.sessionId!;
      const root = await m.query('SELECT created_at FROM network_sessions WHERE id = $1', [session]);
      await m.insert(NetworkAuthCode, {
        codeHash: sha256Hex(code),
        networkId: p.networkId,
        userId: p.userId,
        sessionId: session,
        rootCreatedAt: (root[0]?.created_at as Date | undefined) ?? new Date(),
        usesLeft: count,
        expiresAt: new Date(Date.now() + minutes * 60_000),
      });
      await this.activities.record({ userId: p.userId, topic: 'session', action: 'network auth code create', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, uses: count, duration_minutes: minutes } }, m);
    });
    return { auth_code: code, duration_minutes: minutes, uses: count };
  }

  async codeLogin(authCode: string, meta: RequestMeta): Promise<Record<string, unknown>> {
    await this.limiter.check(undefined, meta.ip);
    const subject = await this.dataSource.transaction(async (m) => {
      const rows = (await m.query(
        `UPDATE network_auth_codes SET uses_left = uses_left - 1 WHERE code_hash = $1 AND uses_left > 0 AND expires_at > now() RETURNING id, network_id, user_id, session_id, root_created_at, uses_left`,
        [sha256Hex(authCode.trim())],
      )) as [{ id: string; network_id: string; user_id: string; session_id: string; root_created_at: Date; uses_left: number }[], number];
      const row = rows[0]?.[0];
      if (!row) return undefined;
      if (row.uses_left <= 0) await m.delete(NetworkAuthCode, { id: row.id });
      if (!(await this.tokens.isLive(row.session_id, m))) return undefined;
      const [network, user] = await Promise.all([this.networks.findById(row.network_id, m), this.users.findById(row.user_id, m)]);
      if (!network || !user || LOCKED_OUT.has(user.state)) return undefined;
      const opened = await this.sessionFor(m, network, user, 'code', meta, 'network code login');
      return { ...opened, createTime: new Date(row.root_created_at) };
    });
    if (!subject) {
      await this.limiter.fail(undefined, meta.ip);
      throw businessError('Invalid auth code.');
    }
    return { by_jwt: await this.tokens.adminJwt(subject) };
  }

  async networkCheck(name: string): Promise<{ available: boolean }> {
    return { available: await this.networks.nameAvailable(name) };
  }
}
