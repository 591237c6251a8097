import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { assertAbility } from '../../core/auth/abilities.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { randomHex } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { Page } from '../../core/http/pagination.js';
import { SecondFactor } from '../otp/second-factor.js';
import { UserChangeHooks } from '../users/user-change-hooks.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { parseScopes } from './api-key-scopes.js';
import { ApiKeySecretCache } from './api-key-secret-cache.js';
import { ApiKey, type ApiKeyState } from './api-key.entity.js';
import { ServiceAccount } from './service-account.entity.js';
import { ServiceAccountsService } from './service-accounts.service.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

export const API_KEY_ALGORITHMS = ['HS256'];
export const API_KEY_STATES: ApiKeyState[] = ['active', 'inactive'];
/** Barong's `order_by` accepts any column; these are ours, by their API names. */
export const API_KEY_ORDER_COLUMNS: Record<string, keyof ApiKey> = {
  id: 'id',
  kid: 'kid',
  algorithm: 'algorithm',
  scope: 'scope',
  state: 'state',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
};
/** States in which a holder may use and activate keys (Barong: `active`). */
const ACTIVE = 'active';

export type KeyHolder = { kind: 'user'; user: User } | { kind: 'service_account'; account: ServiceAccount };

export interface ListQuery {
  ordering?: string;
  orderBy?: string;
  page: number;
  limit: number;
}

export interface KeyChange {
  scope?: unknown;
  state?: string;
}

/** Error codes of the TOTP guard differ per face: `resource.api_key` or `resource.service_accounts`. */
export type TotpPrefix = 'resource.api_key' | 'resource.service_accounts';

export const sealContext = (kid: string): string => `api-key:${kid}`;

const holderWhere = (h: KeyHolder): { userId: string } | { serviceAccountId: string } =>
  h.kind === 'user' ? { userId: h.user.id } : { serviceAccountId: h.account.id };
const holderState = (h: KeyHolder): string => (h.kind === 'user' ? h.user.state : h.account.state);

/**
 * API keys of users and service accounts: creation (the secret is returned once), listing,
 * scope/state changes, deletion; all writes demand a TOTP code of the user who acts.
 */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
    private readonly secondFactor: SecondFactor,
    private readonly users: UsersService,
    private readonly hooks: UserChangeHooks,
    private readonly accounts: ServiceAccountsService,
    @Inject(ApiKeySecretCache) private readonly secrets: ApiKeySecretCache,
  ) {}

  onModuleInit(): void {
    this.hooks.register(async (m, { before, after }) => {
      await this.accounts.onOwnerChange(m, after, before.state !== after.state, before.otp && !after.otp);
    });
  }

  async requireUser(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw AppError.unauthorized('authz.invalid_session');
    return user;
  }

  /**
   * Barong's guard for key writes, in its order: 2FA off (400), code blank (422), code wrong (422).
   * A 6th wrong code within 5 minutes answers 429 `<prefix>.too_many_attempts`.
   */
  async assertTotp(user: User, code: unknown, prefix: TotpPrefix): Promise<void> {
    if (!user.otp) throw AppError.badRequest(`${prefix}.2fa_disabled`);
    const text = typeof code === 'string' || typeof code === 'number' ? String(code).trim() : '';
    if (!text) throw AppError.unprocessable(`${prefix}.missing_totp`);
    const result = await this.secondFactor.verify(user, text, { allowRecoveryCode: false });
    if (result === 'rate_limited') throw AppError.tooMany(`${prefix}.too_many_attempts`);
    if (result !== 'valid') throw AppError.unprocessable(`${prefix}.invalid_totp`);
  }

  async list(holder: KeyHolder, q: ListQuery): Promise<Page<ApiKey>> {
    const column = API_KEY_ORDER_COLUMNS[q.orderBy ?? 'id'] ?? 'id';
    const direction = (q.ordering ?? 'asc').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const [items, total] = await this.dataSource.manager.findAndCount(ApiKey, {
      where: holderWhere(holder),
      order: { [column]: direction, ...(column === 'id' ? {} : { id: 'ASC' }) },
      skip: (q.page - 1) * q.limit,
      take: q.limit,
    });
    return { items, total, page: q.page, limit: q.limit };
  }

  async create(holder: KeyHolder, input: { algorithm: string; scope?: unknown }): Promise<{ key: ApiKey; secret: string }> {
    if (!API_KEY_ALGORITHMS.includes(input.algorithm)) throw AppError.unprocessable(['kid.blank', 'algorithm.inclusion']);
    if (holderState(holder) !== ACTIVE) throw AppError.unprocessable('api_key.inactive_holder');
    return this.dataSource.transaction(async (m) => {
      const kid = await this.generateKid(m);
      const secret = randomHex(16);
      const key = m.create(ApiKey, {
        ...holderWhere(holder),
        kid,
        algorithm: input.algorithm,
        scope: parseScopes(input.scope),
        secretSealed: this.sealer.seal(secret, sealContext(kid)),
        state: 'active',
      });
      await m.save(key);
      return { key, secret };
    });
  }

  async update(holder: KeyHolder, kid: string, change: KeyChange): Promise<ApiKey> {
    if (change.state !== undefined && !API_KEY_STATES.includes(change.state as ApiKeyState)) {
      throw AppError.unprocessable('state.inclusion');
    }
    return this.dataSource.transaction(async (m) => {
      const key = await m.findOne(ApiKey, { where: { kid, ...holderWhere(holder) }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw AppError.notFound('record.not_found');
      if (change.scope !== undefined) key.scope = parseScopes(change.scope);
      if (change.state !== undefined) {
        if (change.state === 'active' && key.state !== 'active' && holderState(holder) !== ACTIVE) {
          throw AppError.unprocessable('api_key.inactive_holder');
        }
        key.state = change.state as ApiKeyState;
      }
      await m.save(key);
      this.secrets.evict(kid);
      return key;
    });
  }

  async remove(holder: KeyHolder, kid: string): Promise<void> {
    const res = await this.dataSource.manager.delete(ApiKey, { kid, ...holderWhere(holder) });
    if (!res.affected) throw AppError.notFound('record.not_found');
    this.secrets.evict(kid);
  }

  /** The caller as a key holder (service accounts see their own keys). */
  async holderOf(principal: BarongPrincipal): Promise<KeyHolder> {
    if (principal.kind === 'service_account') {
      const account = await this.accounts.findByUid(principal.uid);
      if (!account) throw AppError.unauthorized('authz.invalid_session');
      return { kind: 'service_account', account };
    }
    if (principal.kind !== 'user') throw AppError.unauthorized('authz.invalid_session');
    return { kind: 'user', user: await this.requireUser(principal.id) };
  }

  async listOwn(principal: BarongPrincipal, q: ListQuery): Promise<Page<ApiKey>> {
    return this.list(await this.holderOf(principal), q);
  }

  async createOwn(userId: string, input: { algorithm: string; scope?: unknown }, code: unknown): Promise<{ key: ApiKey; secret: string }> {
    const user = await this.requireUser(userId);
    await this.assertTotp(user, code, 'resource.api_key');
    return this.create({ kind: 'user', user }, input);
  }

  async updateOwn(userId: string, kid: string, change: KeyChange, code: unknown): Promise<ApiKey> {
    const user = await this.requireUser(userId);
    await this.assertTotp(user, code, 'resource.api_key');
    return this.update({ kind: 'user', user }, kid, change);
  }

  async removeOwn(userId: string, kid: string, code: unknown): Promise<void> {
    const user = await this.requireUser(userId);
    await this.assertTotp(user, code, 'resource.api_key');
    await this.remove({ kind: 'user', user }, kid);
  }

  async listForAccount(userId: string, accountUid: string, q: ListQuery): Promise<Page<ApiKey>> {
    const account = await this.accounts.findOwned(userId, accountUid);
    return this.list({ kind: 'service_account', account }, q);
  }

  async createForAccount(userId: string, accountUid: string, input: { algorithm: string; scope?: unknown }, code: unknown): Promise<{ key: ApiKey; secret: string }> {
    const user = await this.requireUser(userId);
    await this.assertTotp(user, code, 'resource.service_accounts');
    const account = await this.accounts.findOwned(userId, accountUid);
    return this.create({ kind: 'service_account', account }, input);
  }

  async updateForAccount(userId: string, accountUid: string, kid: string, change: KeyChange, code: unknown): Promise<ApiKey> {
    const user = await this.requireUser(userId);
    await this.assertTotp(user, code, 'resource.service_accounts');
    const account = await this.accounts.findOwned(userId, accountUid);
    return this.update({ kind: 'service_account', account }, kid, change);
  }

  async removeForAccount(userId: string, accountUid: string, kid: string, code: unknown): Promise<void> {
    const user = await this.requireUser(userId);
    await this.assertTotp(user, code, 'resource.service_accounts');
    const account = await this.accounts.findOwned(userId, accountUid);
    await this.remove({ kind: 'service_account', account }, kid);
  }

  /** Admin listing of a user's keys (ability `read APIKey`; 404 admin.user.doesnt_exist). */
  async listForUserUid(role: string, uid: string, q: ListQuery): Promise<Page<ApiKey>> {
    assertAbility(role, 'read', 'APIKey');
    const user = await this.users.findByUid(uid, DEFAULT_APP_ID);
    if (!user) throw AppError.notFound('admin.user.doesnt_exist');
    return this.list({ kind: 'user', user }, q);
  }

  /** 16 lower-case hex characters, regenerated until unique. */
  private async generateKid(m: EntityManager): Promise<string> {
    for (;;) {
      const kid = randomHex(8);
      if (!(await m.exists(ApiKey, { where: { kid } }))) return kid;
    }
  }

  /** The key with its holder (and the holder's owner), for request authentication. */
  findForAuth(kid: string): Promise<ApiKey | null> {
    return this.dataSource.manager.findOne(ApiKey, {
      where: { kid },
      relations: { user: true, serviceAccount: { owner: true } },
    });
  }

  /** The plain secret of a key (cached briefly, keyed to its sealed value). */
  secretOf(key: ApiKey): string {
    return this.secrets.get(key.kid, key.secretSealed, () => this.sealer.open(key.secretSealed, sealContext(key.kid)));
  }
}

/** Barong's `APIKey` entity; the secret only in the create response. */
export function presentApiKey(key: ApiKey, secret?: string): Record<string, unknown> {
  return {
    kid: key.kid,
    algorithm: key.algorithm,
    scope: key.scope,
    state: key.state,
    ...(secret !== undefined ? { secret } : {}),
    created_at: key.createdAt.toISOString(),
    updated_at: key.updatedAt.toISOString(),
  };
}
