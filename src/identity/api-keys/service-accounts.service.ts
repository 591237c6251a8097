import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { AccessControl } from '../../core/auth/access-control.js';
import { AppError } from '../../core/http/app-error.js';
import { User } from '../users/user.entity.js';
import { UserPresenter } from '../users/user-presenter.js';
import { ApiKeySecretCache } from './api-key-secret-cache.js';
import { ApiKey } from './api-key.entity.js';
import { ServiceAccount } from './service-account.entity.js';

export const SERVICE_ACCOUNT_UID_PREFIX = 'SI';

export interface NewServiceAccount {
  owner: User;
  email?: string;
  /** Must be a role of the permissions table (e.g. `sa_maker`). */
  role: string;
  /** Copied from the owner unless given. */
  level?: number;
  /** Copied from the owner unless given. */
  state?: string;
}

export interface ServiceAccountPatch {
  role?: string;
  level?: number;
  state?: string;
}

/**
 * Service accounts: created and changed by trusted server-side code only (Barong does it through
 * its management API), listed by their owner, used through their API keys.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessControl,
    private readonly presenter: UserPresenter,
    private readonly secrets: ApiKeySecretCache,
  ) {}

  /** `SI` + 10 upper-case hex, unique across users and service accounts. */
  private async generateUid(m: EntityManager): Promise<string> {
    for (;;) {
      const uid = SERVICE_ACCOUNT_UID_PREFIX + randomBytes(5).toString('hex').toUpperCase();
      const taken = (await m.exists(User, { where: { uid } })) || (await m.exists(ServiceAccount, { where: { uid } }));
      if (!taken) return uid;
    }
  }

  private async assertRole(role: string): Promise<void> {
    if (!(await this.access.roles()).includes(role)) throw AppError.unprocessable('role.doesnt_exist');
  }

  async create(input: NewServiceAccount, manager?: EntityManager): Promise<ServiceAccount> {
    const role = input.role;
    await this.assertRole(role);
    const run = async (m: EntityManager): Promise<ServiceAccount> => {
      const uid = await this.generateUid(m);
      const [local, domain] = splitEmail(input.owner.email ?? '');
      const email = (input.email ?? `${local}+${uid.toLowerCase()}@${domain}`).trim().toLowerCase();
      const clash = (await m.exists(User, { where: { email } })) || (await m.exists(ServiceAccount, { where: { email } }));
      if (clash) throw AppError.unprocessable('email_or_uid.not_uniq');
      const account = m.create(ServiceAccount, {
        uid,
        ownerId: input.owner.id,
        email,
        role,
        level: input.level ?? input.owner.level,
        state: input.state ?? input.owner.state,
      });
      return m.save(account);
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /**
   * Changes a service account (Barong's management update): the owner's state is copied unless
   * the change sets one itself, and leaving `active` deactivates the account's keys.
   */
  async update(uid: string, patch: ServiceAccountPatch, manager?: EntityManager): Promise<ServiceAccount> {
    if (patch.role !== undefined) await this.assertRole(patch.role);
    const run = async (m: EntityManager): Promise<ServiceAccount> => {
      const account = await m.findOne(ServiceAccount, { where: { uid }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw AppError.notFound('resource.service_account.doesnt_exist');
      const before = account.state;
      if (patch.role !== undefined) account.role = patch.role;
      if (patch.level !== undefined) account.level = patch.level;
      if (patch.state !== undefined) account.state = patch.state;
      else if (account.ownerId) {
        const owner = await m.findOne(User, { where: { id: account.ownerId } });
        if (owner) account.state = owner.state;
      }
      await m.save(account);
      if (account.state !== before && account.state !== 'active') await this.deactivateKeys(m, { serviceAccountId: account.id });
      return account;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /** Marks the matching active keys inactive and drops their cached secrets. */
  async deactivateKeys(m: EntityManager, where: { userId?: string; serviceAccountId?: string | string[] }): Promise<number> {
    if (!where.userId && where.serviceAccountId === undefined) return 0;
    const qb = m.createQueryBuilder().update(ApiKey).set({ state: 'inactive' }).where('state = :active', { active: 'active' });
    if (where.userId) qb.andWhere('user_id = :userId', { userId: where.userId });
    if (where.serviceAccountId !== undefined) {
      const ids = Array.isArray(where.serviceAccountId) ? where.serviceAccountId : [where.serviceAccountId];
      if (!ids.length) return 0;
      qb.andWhere('service_account_id IN (:...ids)', { ids });
    }
    const res = await qb.returning(['kid']).execute();
    const rows = (res.raw ?? []) as { kid: string }[];
    rows.forEach((r) => this.secrets.evict(r.kid));
    return rows.length;
  }

  /** Barong §4.2: keys follow their holders; service accounts follow a non-active owner. */
  async onOwnerChange(m: EntityManager, owner: User, stateChanged: boolean, otpTurnedOff: boolean): Promise<void> {
    const accounts = await m.find(ServiceAccount, { where: { ownerId: owner.id }, select: { id: true } });
    if ((stateChanged && owner.state !== 'active') || otpTurnedOff) {
      await this.deactivateKeys(m, { userId: owner.id });
      await this.deactivateKeys(m, { serviceAccountId: accounts.map((a) => a.id) });
    }
    if (owner.state !== 'active' && accounts.length) {
      await m.update(ServiceAccount, { id: In(accounts.map((a) => a.id)), state: Not(owner.state) }, { state: owner.state });
    }
  }

  listForOwner(ownerId: string, m: EntityManager = this.dataSource.manager): Promise<ServiceAccount[]> {
    return m.find(ServiceAccount, { where: { ownerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findByUid(uid: string, m: EntityManager = this.dataSource.manager): Promise<ServiceAccount | null> {
    return m.findOne(ServiceAccount, { where: { uid } });
  }

  /** The caller's own service account, or Barong's 404. */
  async findOwned(ownerId: string, uid: string, m: EntityManager = this.dataSource.manager): Promise<ServiceAccount> {
    const account = await m.findOne(ServiceAccount, { where: { uid, ownerId } });
    if (!account) throw AppError.notFound('resource.service_account.doesnt_exist');
    return account;
  }

  /** Barong's `ServiceAccounts` entity with the owner as a `User` entity. */
  async present(accounts: ServiceAccount[]): Promise<Record<string, unknown>[]> {
    const ownerIds = [...new Set(accounts.map((a) => a.ownerId).filter((x): x is string => !!x))];
    const owners = ownerIds.length ? await this.dataSource.manager.find(User, { where: { id: In(ownerIds) } }) : [];
    const views = await this.presenter.basic(owners);
    const byId = new Map(owners.map((o, i) => [o.id, views[i]]));
    return accounts.map((a) => ({
      email: a.email,
      uid: a.uid,
      role: a.role,
      level: a.level,
      state: a.state,
      user: a.ownerId ? (byId.get(a.ownerId) ?? null) : null,
      created_at: a.createdAt.toISOString(),
      updated_at: a.updatedAt.toISOString(),
    }));
  }
}

function splitEmail(email: string): [string, string] {
  const at = email.lastIndexOf('@');
  return at < 0 ? [email, 'localhost'] : [email.slice(0, at), email.slice(at + 1)];
}
