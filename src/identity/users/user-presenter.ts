import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { clientConfigOf, PgChannelListener } from '../../core/database/pg-channel-listener.js';
import type { EntityManager } from 'typeorm';
import { User } from './user.entity.js';
import { UserChangeHooks } from './user-change-hooks.js';
import { UserSectionName, UserSections } from './user-sections.js';
import { Clock } from '../../core/time/clock.js';

const iso = (d: Date): string => d.toISOString();

/** Barong's user entities (User, UserWithFullInfo, UserWithProfile, UserWithKYC) from one place. */
/**
 * A user's own view is served from memory this long. Every change evicts it on every instance at
 * once (PostgreSQL NOTIFY on VIEWS_CHANNEL, sent in the change's transaction), so the lifetime only
 * bounds what a change made outside the service (plain SQL) takes to show.
 */
const VIEW_TTL_MS = 30_000;
export const VIEWS_CHANNEL = 'user_views_changed';
const VIEW_CACHE_MAX = 100_000;

@Injectable()
export class UserPresenter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('UserViews');
  private listener?: PgChannelListener;
  private readonly views = new Map<string, { view: Record<string, unknown>; json?: string; until: number; refreshAt: number }>();
  private readonly building = new Map<string, Promise<Record<string, unknown> | undefined>>();
  /** Bumped by every eviction, so a view built from rows read before a change is not cached. */
  private generation = 0;

  constructor(
    private readonly sections: UserSections,
    private readonly dataSource: DataSource,
    private readonly hooks: UserChangeHooks,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.sections.onChange(async (userId, manager) => {
      this.evict(userId);
      await (manager ?? this.dataSource.manager).query('SELECT pg_notify($1, $2)', [VIEWS_CHANNEL, userId]);
    });
    this.hooks.register(async (m, change) => {
      this.evict(change.after.id);
      // Delivered to every instance when the change commits, and not at all if it rolls back.
      await m.query('SELECT pg_notify($1, $2)', [VIEWS_CHANNEL, change.after.id]);
    });
    this.listener = new PgChannelListener(
      clientConfigOf(this.dataSource, 'barong-nest-views'),
      VIEWS_CHANNEL,
      (userId) => this.evict(userId),
      // Notifications sent while the listener was away are lost: forget everything.
      () => {
        this.generation++;
        this.views.clear();
      },
      this.logger,
    );
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  private evict(userId: string): void {
    this.generation++;
    this.views.delete(userId);
  }

  /**
   * `UserWithFullInfo` for the signed-in user, read outside any transaction. Served from an
   * in-process cache that every change evicts, on this instance at once (read-your-writes) and on
   * the others when the change's notification arrives (milliseconds). In the second half
   * of an entry's life it is rebuilt in the background, so a busy user never waits for the rebuild;
   * concurrent misses for one user share one build.
   */
  async ownView(userId: string, csrfToken?: string, loaded?: User): Promise<Record<string, unknown> | undefined> {
    const now = this.clock.now();
    const cached = this.views.get(userId);
    let view: Record<string, unknown> | undefined;
    if (cached && cached.until > now) {
      if (now >= cached.refreshAt && !this.building.has(userId)) void this.build(userId).catch(() => undefined);
      view = cached.view;
    } else {
      view = await this.build(userId, loaded);
    }
    if (!view) return undefined;
    return csrfToken ? { ...view, csrf_token: csrfToken } : view;
  }

  /**
   * The same view as JSON text, serialised once per cached view: users/me is the route every
   * client polls, and stringifying the view was a tenth of its cost.
   */
  async ownViewJson(userId: string): Promise<string | undefined> {
    const view = await this.ownView(userId);
    if (!view) return undefined;
    const cached = this.views.get(userId);
    if (cached?.view === view) return (cached.json ??= JSON.stringify(view));
    return JSON.stringify(view);
  }

  private build(userId: string, loaded?: User): Promise<Record<string, unknown> | undefined> {
    let pending = this.building.get(userId);
    if (!pending) {
      pending = this.buildNow(userId, loaded).finally(() => this.building.delete(userId));
      this.building.set(userId, pending);
    }
    return pending;
  }

  private async buildNow(userId: string, loaded?: User): Promise<Record<string, unknown> | undefined> {
    const generation = this.generation;
    const user = loaded ?? (await this.dataSource.manager.findOne(User, { where: { id: userId } }));
    if (!user) {
      this.views.delete(userId);
      return undefined;
    }
    const view = await this.fullInfo(user);
    if (generation === this.generation) {
      if (this.views.size >= VIEW_CACHE_MAX) this.views.clear();
      const now = Date.now();
      this.views.set(userId, { view, until: now + VIEW_TTL_MS, refreshAt: now + VIEW_TTL_MS / 2 });
    }
    return view;
  }

  private async referralUids(users: User[], manager: EntityManager): Promise<Map<string, string>> {
    const ids = [...new Set(users.map((u) => u.referralId).filter((x): x is string => !!x))];
    if (!ids.length) return new Map();
    const rows = await manager.find(User, { where: { id: In(ids) }, select: { id: true, uid: true } });
    return new Map(rows.map((r) => [r.id, r.uid]));
  }

  /** `User`: email, uid, role, level, otp, state, referral_uid, data, username. */
  async basic(users: User[], manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    const refs = await this.referralUids(users, manager);
    return users.map((u) => ({
      email: u.email,
      uid: u.uid,
      role: u.role,
      level: u.level,
      otp: u.otp,
      state: u.state,
      referral_uid: u.referralId ? (refs.get(u.referralId) ?? null) : null,
      data: u.data,
      username: u.username,
    }));
  }

  private async withSections(
    users: User[],
    names: UserSectionName[],
    admin: boolean,
    manager: EntityManager,
  ): Promise<Record<string, unknown>[]> {
    const base = await this.basic(users, manager);
    const sections = await this.sections.load(names, users.map((u) => u.id), { admin, manager });
    return users.map((u, i) => ({
      ...base[i],
      ...sections.get(u.id),
      created_at: iso(u.createdAt),
      updated_at: iso(u.updatedAt),
    }));
  }

  /** User-facing `UserWithFullInfo` (+ csrf_token right after login). */
  async fullInfo(user: User, csrfToken?: string, manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>> {
    const [view] = await this.withSections([user], ['labels', 'phones', 'profiles', 'data_storages'], false, manager);
    return csrfToken ? { ...view, csrf_token: csrfToken } : view!;
  }

  withProfile(users: User[], manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    return this.withSections(users, ['profiles'], true, manager);
  }

  async withKyc(user: User, manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>> {
    const [view] = await this.withSections(
      [user],
      ['profiles', 'labels', 'phones', 'documents', 'data_storages', 'comments'],
      true,
      manager,
    );
    return view!;
  }

  withKycMany(users: User[], manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    return this.withSections(users, ['profiles', 'labels', 'phones', 'documents', 'data_storages', 'comments'], true, manager);
  }
}
