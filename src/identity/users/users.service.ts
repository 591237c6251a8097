import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { PasswordHasher } from '../../core/crypto/password-hasher.js';
import { UserChangeHooks } from './user-change-hooks.js';
import { UserEvents } from './user-events.js';
import { User } from './user.entity.js';

export interface NewUser {
  /** Absent for people who sign up by phone number or wallet (network and platform faces). */
  email?: string | null;
  phoneNumber?: string | null;
  password?: string | null;
  username?: string | null;
  role?: string;
  state?: string;
  data?: string | null;
  referralId?: string | null;
  /** The tenant the user belongs to. */
  appId: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Users of the identity store. Other modules read users through this service, never the table. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly hooks: UserChangeHooks,
    private readonly events: UserEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Barong uid: prefix + 10 upper-case hex characters, unique across users and service accounts. */
  async generateUid(manager: EntityManager = this.dataSource.manager, prefix = this.config.barong.uidPrefix): Promise<string> {
    for (;;) {
      const uid = prefix + randomBytes(5).toString('hex').toUpperCase();
      if (!(await manager.exists(User, { where: { uid } }))) return uid;
    }
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { id } });
  }

  findByUid(uid: string, appId: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { uid, appId } });
  }

  findByEmail(email: string, appId: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { appId, email: normalizeEmail(email) } });
  }

  /** The user and its password hash in one query (the login path). */
  async findByEmailWithDigest(email: string, appId: string): Promise<{ user: User; digest: string | null } | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordDigest')
      .where('u.appId = :appId AND u.email = :email', { appId, email: normalizeEmail(email) })
      .getOne();
    if (!user) return null;
    const digest = user.passwordDigest;
    delete (user as Partial<User>).passwordDigest;
    return { user, digest };
  }

  findByPhoneNumber(phoneNumber: string, appId: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { appId, phoneNumber } });
  }

  emailTaken(email: string, appId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.exists(User, { where: { appId, email: normalizeEmail(email) } });
  }

  usernameTaken(username: string, appId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.exists(User, { where: { appId, username: username.toLowerCase() } });
  }

  /** The stored password hash (not loaded with ordinary reads). */
  async passwordDigest(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const row = await manager
      .createQueryBuilder(User, 'u')
      .select('u.passwordDigest', 'digest')
      .where('u.id = :userId', { userId })
      .getRawOne<{ digest: string | null }>();
    return row?.digest ?? null;
  }

  async verifyPassword(user: User, password: string): Promise<boolean> {
    return this.hasher.verify(await this.passwordDigest(user.id), password);
  }

  async setPassword(userId: string, password: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.update(User, { id: userId }, { passwordDigest: await this.hasher.hash(password) });
  }

  /** Creates a user; a user without a password gets a random one nobody knows (as Barong does). */
  async create(input: NewUser, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const password = input.password ?? randomBytes(30).toString('base64');
    const user = manager.create(User, {
      appId: input.appId,
      uid: await this.generateUid(manager),
      email: input.email ? normalizeEmail(input.email) : null,
      phoneNumber: input.phoneNumber ?? null,
      username: input.username ? input.username.toLowerCase() : null,
      passwordDigest: await this.hasher.hash(password),
      role: input.role ?? 'member',
      state: input.state ?? 'pending',
      data: input.data ?? null,
      referralId: input.referralId ?? null,
      level: 0,
      otp: false,
    });
    await manager.save(user);
    await this.events.created(manager, user);
    return user;
  }

  /**
   * Changes a user and runs the registered change hooks in the same transaction (API keys go
   * inactive when the state leaves active or 2FA is turned off, and so on). Pass a manager inside
   * a transaction; `user` is the row as read (ideally locked) in that transaction.
   */
  async applyChange(manager: EntityManager, user: User, patch: Partial<Pick<User, 'state' | 'role' | 'data' | 'level' | 'otp' | 'email' | 'username' | 'phoneNumber'>>): Promise<User> {
    const before = { state: user.state, otp: user.otp, role: user.role, level: user.level, email: user.email };
    const username = user.username;
    if (patch.email) patch.email = normalizeEmail(patch.email);
    await manager.update(User, { id: user.id }, patch);
    const after = Object.assign(user, patch);
    await this.hooks.run(manager, { before, after });
    await this.events.updated(manager, after, { ...before, username });
    return after;
  }

  /** applyChange for a user id, in its own transaction when no manager is given. */
  async update(userId: string, patch: Partial<Pick<User, 'state' | 'role' | 'data' | 'level' | 'otp' | 'email' | 'username' | 'phoneNumber'>>, manager?: EntityManager): Promise<User> {
    const run = async (m: EntityManager): Promise<User> => {
      const user = await m.findOneOrFail(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      return this.applyChange(m, user, patch);
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  countByRole(role: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.count(User, { where: { role } });
  }

  repository(): Repository<User> {
    return this.users;
  }
}
