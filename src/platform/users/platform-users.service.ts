import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { uuidv7 } from '../../core/database/uuid.js';
import { UsersService } from '../../identity/users/users.service.js';
import { badRequest, notFound } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { unix } from '../common/input.js';
import { CORE_FIELDS, type SearchField } from './user-search.js';
import { PlatformEmail, PlatformPhoneNumber, PlatformUser, PlatformUserStatus, PlatformWebauthnCredential } from './user.entity.js';

export interface NewPlatformUser {
  email?: string;
  phoneNumber?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  status: PlatformUserStatus;
  /** The currency of the default custodial wallet every new user gets. */
  walletType?: string;
}

export interface CreatedUser {
  user: PlatformUser;
  email?: PlatformEmail;
  phone?: PlatformPhoneNumber;
}

/** What another platform module does when a user is created or deleted, in the same transaction. */
export interface UserLifecycleHook {
  created?(m: EntityManager, user: PlatformUser, input: NewPlatformUser): Promise<void>;
  deleted?(m: EntityManager, user: PlatformUser): Promise<void>;
}

/** An array of the User object another module fills (wallets, totps, idp_providers). */
export type UserSection = (appId: string, userIds: string[]) => Promise<Map<string, unknown[]>>;

const isUniqueViolation = (e: unknown): boolean => (e as { driverError?: { code?: string } })?.driverError?.code === '23505';

/**
 * Users of the platform face: a row of the shared `users` table (the tenant's identity) plus
 * Streambird's names, status, e-mails and phone numbers. Every look-up takes the app id.
 */
@Injectable()
export class PlatformUsersService {
  private readonly hooks: UserLifecycleHook[] = [];
  private readonly sections = new Map<string, UserSection>();
  /** users/search fields: the face's own plus those over tables other platform modules own. */
  readonly searchFields: Record<string, SearchField> = { ...CORE_FIELDS };

  constructor(
    @InjectRepository(PlatformUser) private readonly users: Repository<PlatformUser>,
    private readonly identity: UsersService,
    private readonly dataSource: DataSource,
  ) {}

  addHook(hook: UserLifecycleHook): void {
    this.hooks.push(hook);
  }

  addSearchField(name: string, field: SearchField): void {
    this.searchFields[name] = field;
  }

  addSection(name: string, section: UserSection): void {
    this.sections.set(name, section);
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async create(m: EntityManager, appId: string, input: NewPlatformUser): Promise<CreatedUser> {
    if (input.email && (await m.exists(PlatformEmail, { where: { appId, email: input.email } }))) throw duplicate('email', input.email);
    if (input.phoneNumber && (await m.exists(PlatformPhoneNumber, { where: { appId, phoneNumber: input.phoneNumber } }))) throw duplicate('phone_number', input.phoneNumber);
    try {
      const identity = await this.identity.create(
        { appId, email: input.email ?? null, phoneNumber: input.phoneNumber ?? null, state: input.status, role: 'member' },
        m,
      );
      const user = m.create(PlatformUser, {
        id: identity.id,
        appId,
        firstName: input.firstName ?? '',
        middleName: input.middleName ?? '',
        lastName: input.lastName ?? '',
        status: input.status,
      });
      await m.insert(PlatformUser, user);
      const email = input.email ? await this.insertEmail(m, appId, user.id, input.email) : undefined;
      const phone = input.phoneNumber ? await this.insertPhone(m, appId, user.id, input.phoneNumber) : undefined;
      for (const hook of this.hooks) await hook.created?.(m, user, input);
      return { user, email, phone };
    } catch (e) {
      if (isUniqueViolation(e)) throw badRequest('duplicate_email', 'An identifier of this user already belongs to another user of the app');
      throw e;
    }
  }

  private async insertEmail(m: EntityManager, appId: string, userId: string, email: string): Promise<PlatformEmail> {
    const row = m.create(PlatformEmail, { id: uuidv7(), appId, userId, email, verified: false });
    await m.insert(PlatformEmail, row);
    return (await m.findOneByOrFail(PlatformEmail, { id: row.id }));
  }

  private async insertPhone(m: EntityManager, appId: string, userId: string, phoneNumber: string): Promise<PlatformPhoneNumber> {
    const row = m.create(PlatformPhoneNumber, { id: uuidv7(), appId, userId, phoneNumber, verified: false });
    await m.insert(PlatformPhoneNumber, row);
    return (await m.findOneByOrFail(PlatformPhoneNumber, { id: row.id }));
  }

  /** Attaches an e-mail (no-op when the user already has it); another user's → 400 duplicate_email. */
  async attachEmail(m: EntityManager, user: PlatformUser, email: string): Promise<PlatformEmail> {
    const existing = await m.findOne(PlatformEmail, { where: { appId: user.appId, email } });
    if (existing) {
      if (existing.userId !== user.id) throw duplicate('email', email);
      return existing;
    }
    return this.insertEmail(m, user.appId, user.id, email);
  }

  async attachPhone(m: EntityManager, user: PlatformUser, phoneNumber: string): Promise<PlatformPhoneNumber> {
    const existing = await m.findOne(PlatformPhoneNumber, { where: { appId: user.appId, phoneNumber } });
    if (existing) {
      if (existing.userId !== user.id) throw duplicate('phone_number', phoneNumber);
      return existing;
    }
    return this.insertPhone(m, user.appId, user.id, phoneNumber);
  }

  find(appId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<PlatformUser | null> {
    return m.findOne(PlatformUser, { where: { appId, id } });
  }

  /** The user a public `user_` id names in this app; 400 for a malformed id, 404 for an unknown one. */
  async require(appId: string, publicId: unknown, m: EntityManager = this.dataSource.manager, lock = false): Promise<PlatformUser> {
    if (publicId === undefined || publicId === null || publicId === '') throw badRequest('invalid_user_id', 'user_id is required');
    const id = uuidOf('user', publicId);
    if (!id) throw badRequest('invalid_user_id', `${String(publicId)} is not a user id`);
    const user = await m.findOne(PlatformUser, { where: { appId, id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!user) throw notFound('user_not_found', `User ${String(publicId)} not found`);
    return user;
  }

  emailByAddress(appId: string, email: string, m: EntityManager = this.dataSource.manager): Promise<PlatformEmail | null> {
    return m.findOne(PlatformEmail, { where: { appId, email } });
  }

  phoneByNumber(appId: string, phoneNumber: string, m: EntityManager = this.dataSource.manager): Promise<PlatformPhoneNumber | null> {
    return m.findOne(PlatformPhoneNumber, { where: { appId, phoneNumber } });
  }

  emailById(appId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<PlatformEmail | null> {
    return m.findOne(PlatformEmail, { where: { appId, id } });
  }

  phoneById(appId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<PlatformPhoneNumber | null> {
    return m.findOne(PlatformPhoneNumber, { where: { appId, id } });
  }

  async markEmailVerified(m: EntityManager, email: PlatformEmail): Promise<void> {
    if (!email.verified) await m.update(PlatformEmail, { id: email.id }, { verified: true, updatedAt: new Date() });
    email.verified = true;
  }

  async markPhoneVerified(m: EntityManager, phone: PlatformPhoneNumber): Promise<void> {
    if (!phone.verified) await m.update(PlatformPhoneNumber, { id: phone.id }, { verified: true, updatedAt: new Date() });
    phone.verified = true;
  }

  /** A first verified method makes a pending user active (here and in the shared identity row). */
  async activate(m: EntityManager, user: PlatformUser): Promise<void> {
    if (user.status === 'active') return;
    user.status = 'active';
    await m.update(PlatformUser, { id: user.id }, { status: 'active', updatedAt: new Date() });
    await this.identity.update(user.id, { state: 'active' }, m);
  }

  async updateNames(m: EntityManager, user: PlatformUser, names: Partial<Pick<PlatformUser, 'firstName' | 'middleName' | 'lastName'>>): Promise<void> {
    Object.assign(user, names);
    await m.update(PlatformUser, { id: user.id }, { ...names, updatedAt: new Date() });
  }

  async touch(m: EntityManager, userId: string): Promise<void> {
    await m.update(PlatformUser, { id: userId }, { updatedAt: new Date() });
  }

  async deleteEmail(m: EntityManager, appId: string, publicId: string): Promise<string> {
    const id = uuidOf('email', publicId);
    const row = id ? await m.findOne(PlatformEmail, { where: { appId, id } }) : null;
    if (!row) throw notFound('email_not_found', `Email ${publicId} not found`);
    await m.delete(PlatformEmail, { id: row.id });
    const identity = await this.identity.findById(row.userId, m);
    if (identity?.email === row.email) await this.identity.update(row.userId, { email: null }, m);
    await this.touch(m, row.userId);
    return row.userId;
  }

  async deletePhone(m: EntityManager, appId: string, publicId: string): Promise<string> {
    const id = uuidOf('pn', publicId);
    const row = id ? await m.findOne(PlatformPhoneNumber, { where: { appId, id } }) : null;
    if (!row) throw notFound('phone_number_not_found', `Phone number ${publicId} not found`);
    await m.delete(PlatformPhoneNumber, { id: row.id });
    const identity = await this.identity.findById(row.userId, m);
    if (identity?.phoneNumber === row.phoneNumber) await this.identity.update(row.userId, { phoneNumber: null }, m);
    await this.touch(m, row.userId);
    return row.userId;
  }

  async deleteWebauthn(m: EntityManager, appId: string, publicId: string): Promise<string> {
    const id = uuidOf('webauthn', publicId);
    const row = id ? await m.findOne(PlatformWebauthnCredential, { where: { appId, id } }) : null;
    if (!row) throw notFound('webauthn_credential_not_found', `WebAuthn credential ${publicId} not found`);
    await m.delete(PlatformWebauthnCredential, { id: row.id });
    await this.touch(m, row.userId);
    return row.userId;
  }

  /**
   * Removes the user from the platform face (its identifiers, and through the hooks its sessions,
   * TOTPs, codes, challenges and wallets); the shared identity row is kept as a tombstone for the
   * audit trail, with its identifiers cleared so they can be used again.
   */
  async delete(m: EntityManager, user: PlatformUser): Promise<void> {
    for (const hook of this.hooks) await hook.deleted?.(m, user);
    await m.delete(PlatformEmail, { userId: user.id });
    await m.delete(PlatformPhoneNumber, { userId: user.id });
    await m.delete(PlatformWebauthnCredential, { userId: user.id });
    await m.delete(PlatformUser, { id: user.id });
    await this.identity.update(user.id, { state: 'deleted', email: null, phoneNumber: null }, m);
  }

  /** Streambird User objects, in the order given. */
  async present(appId: string, users: PlatformUser[], m: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    if (!users.length) return [];
    const ids = users.map((u) => u.id);
    const [emails, phones, webauthn] = await Promise.all([
      m.find(PlatformEmail, { where: { appId, userId: In(ids) }, order: { id: 'ASC' } }),
      m.find(PlatformPhoneNumber, { where: { appId, userId: In(ids) }, order: { id: 'ASC' } }),
      m.find(PlatformWebauthnCredential, { where: { appId, userId: In(ids) }, order: { id: 'ASC' } }),
    ]);
    const sections = await Promise.all([...this.sections].map(async ([name, load]) => [name, await load(appId, ids)] as const));
    const group = <T extends { userId: string }>(rows: T[]): Map<string, T[]> => {
      const out = new Map<string, T[]>();
      for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r]);
      return out;
    };
    const byEmail = group(emails);
    const byPhone = group(phones);
    const byWebauthn = group(webauthn);
    return users.map((u) => {
      const view: Record<string, unknown> = {
        user_id: pid('user', u.id),
        app_id: appPublic(appId),
        first_name: u.firstName,
        middle_name: u.middleName,
        last_name: u.lastName,
        status: u.status,
        active: u.status === 'active',
        emails: (byEmail.get(u.id) ?? []).map(emailView),
        phone_numbers: (byPhone.get(u.id) ?? []).map(phoneView),
        wallets: [],
        totps: [],
        idp_providers: [],
        webauthn_credentials: (byWebauthn.get(u.id) ?? []).map((w) => ({ id: pid('webauthn', w.id), credential_id: w.credentialId, created_at: unix(w.createdAt), updated_at: unix(w.updatedAt) })),
      };
      for (const [name, rows] of sections) view[name] = rows.get(u.id) ?? [];
      view.created_at = unix(u.createdAt);
      view.updated_at = unix(u.updatedAt);
      return view;
    });
  }

  async presentOne(appId: string, user: PlatformUser, m?: EntityManager): Promise<Record<string, unknown>> {
    return (await this.present(appId, [user], m))[0]!;
  }

  repository(): Repository<PlatformUser> {
    return this.users;
  }
}

import { appPublicId as appPublic } from '../../identity/tenants/tenants.service.js';

export const emailView = (e: PlatformEmail): Record<string, unknown> => ({ id: pid('email', e.id), email: e.email, verified: e.verified, created_at: unix(e.createdAt), updated_at: unix(e.updatedAt) });
export const phoneView = (p: PlatformPhoneNumber): Record<string, unknown> => ({ id: pid('pn', p.id), phone_number: p.phoneNumber, verified: p.verified, created_at: unix(p.createdAt), updated_at: unix(p.updatedAt) });

function duplicate(kind: 'email' | 'phone_number', value: string) {
  return badRequest(`duplicate_${kind}`, `${value} already belongs to another user of this app`);
}
