import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import type { Page } from '../../core/http/pagination.js';
import { UserPresenter } from '../../identity/users/user-presenter.js';
import { User } from '../../identity/users/user.entity.js';
import { normalizeEmail } from '../../identity/users/users.service.js';
import { assertAbility } from '../../core/auth/abilities.js';
import { Activity, ActivityCategory } from '../../core/audit/activity.entity.js';
import { AdminActivitiesAdminQueryDto, AdminActivitiesQueryDto, AdminMetricsQueryDto } from './admin-activities.dto.js';
import { epochRange, pageTotal } from './page-total.js';
import { activityView } from '../../core/audit/activity-view.js';

export type ActivityView = Record<string, unknown>;


export interface Metrics {
  signups: Record<string, number>;
  sucessful_logins: Record<string, number>;
  failed_logins: Record<string, number>;
  pending_applications: number;
}

/**
 * Admin reading of the audit log, newest first. Every filter lands on an index: the actor
 * (uid/e-mail resolved to user ids first, then `(user_id, created_at)`), the target
 * `(target_uid, created_at)`, the topic `(category, topic, created_at)`, or the time range alone
 * `(category, created_at)`.
 */
@Injectable()
export class AdminActivitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly presenter: UserPresenter,
  ) {}

  /** `GET activities`: user-category rows with the acting `user`. */
  async listUser(actor: BarongPrincipal, q: AdminActivitiesQueryDto): Promise<Page<ActivityView>> {
    assertAbility(actor.role, 'read', 'Activity');
    const page = await this.query('user', q);
    const users = await this.usersById(page.items.map((a) => a.userId));
    return { ...page, items: page.items.map((a) => ({ ...activityView(a), user: users.get(a.userId ?? '') ?? null })) };
  }

  /** `GET activities/admin`: admin-category rows with the acting `admin` and the `target` user. */
  async listAdmin(actor: BarongPrincipal, q: AdminActivitiesAdminQueryDto): Promise<Page<ActivityView>> {
    assertAbility(actor.role, 'read', 'Activity');
    const page = await this.query('admin', q);
    const [admins, targets] = await Promise.all([
      this.usersById(page.items.map((a) => a.userId)),
      this.usersByUid(page.items.map((a) => a.targetUid)),
    ]);
    return {
      ...page,
      items: page.items.map((a) => ({
        ...activityView(a),
        admin: admins.get(a.userId ?? '') ?? null,
        target: targets.get(a.targetUid ?? '') ?? null,
      })),
    };
  }

  private async query(category: ActivityCategory, q: AdminActivitiesQueryDto): Promise<Page<Activity>> {
    const m = this.dataSource.manager;
    const page = q.page ?? 1;
    const limit = q.limit ?? 100;
    const qb = m.createQueryBuilder(Activity, 'a').where('a.category = :category', { category });
    if (q.uid !== undefined || q.email !== undefined) {
      const actors = m.createQueryBuilder(User, 'u').select('u.id', 'id');
      if (q.uid !== undefined) actors.andWhere('u.uid = :uid', { uid: q.uid });
      if (q.email !== undefined) actors.andWhere('u.email = :email', { email: normalizeEmail(q.email) });
      const ids = ((await actors.getRawMany()) as { id: string }[]).map((r) => r.id);
      if (!ids.length) return { items: [], total: 0, page, limit };
      qb.andWhere('a.userId IN (:...actorIds)', { actorIds: ids });
    }
    if (q.topic !== undefined) qb.andWhere('a.topic = :topic', { topic: q.topic });
    if (q.action !== undefined) qb.andWhere('a.action = :action', { action: q.action });
    if (q.target_uid !== undefined) qb.andWhere('a.targetUid = :targetUid', { targetUid: q.target_uid });
    const { from, toExclusive } = epochRange(q.from, q.to);
    if (from) qb.andWhere('a.createdAt >= :from', { from });
    if (toExclusive) qb.andWhere('a.createdAt < :toExclusive', { toExclusive });
    qb.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'DESC').offset((page - 1) * limit).limit(limit);
    const [items, total] = await Promise.all([qb.getMany(), pageTotal(m, qb)]);
    return { items, total, page, limit };
  }

  /**
   * The list filters as SQL over `activities a` (for the export, which pages by keyset): null
   * when the uid/e-mail names no user, so nothing can match.
   */
  async sqlFilters(q: Omit<AdminActivitiesQueryDto, 'page' | 'limit'>, category?: ActivityCategory): Promise<{ where: string[]; params: unknown[] } | null> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown): string => `$${params.push(v)}`;
    if (category) where.push(`a.category = ${p(category)}`);
    if (q.uid !== undefined || q.email !== undefined) {
      const actors = this.dataSource.manager.createQueryBuilder(User, 'u').select('u.id', 'id');
      if (q.uid !== undefined) actors.andWhere('u.uid = :uid', { uid: q.uid });
      if (q.email !== undefined) actors.andWhere('u.email = :email', { email: normalizeEmail(q.email) });
      const ids = ((await actors.getRawMany()) as { id: string }[]).map((r) => r.id);
      if (!ids.length) return null;
      where.push(`a.user_id = ANY(${p(ids)}::uuid[])`);
    }
    if (q.topic !== undefined) where.push(`a.topic = ${p(q.topic)}`);
    if (q.action !== undefined) where.push(`a.action = ${p(q.action)}`);
    if (q.target_uid !== undefined) where.push(`a.target_uid = ${p(q.target_uid)}`);
    const { from, toExclusive } = epochRange(q.from, q.to);
    if (from) where.push(`a.created_at >= ${p(from)}`);
    if (toExclusive) where.push(`a.created_at < ${p(toExclusive)}`);
    return { where, params };
  }

  private async usersById(ids: (string | null)[]): Promise<Map<string, ActivityView>> {
    const unique = [...new Set(ids.filter((x): x is string => !!x))];
    if (!unique.length) return new Map();
    const users = await this.dataSource.manager.find(User, { where: { id: In(unique) } });
    const views = await this.presenter.basic(users);
    return new Map(users.map((u, i) => [u.id, views[i]!]));
  }

  private async usersByUid(uids: (string | null)[]): Promise<Map<string, ActivityView>> {
    const unique = [...new Set(uids.filter((x): x is string => !!x))];
    if (!unique.length) return new Map();
    const users = await this.dataSource.manager.find(User, { where: { uid: In(unique) } });
    const views = await this.presenter.basic(users);
    return new Map(users.map((u, i) => [u.uid, views[i]!]));
  }

  /**
   * `GET metrics`: sign-ups, successful and failed logins per UTC date, and the pending KYC
   * applications. Unlike Barong, `created_from`/`created_to` are applied. Whole days inside the
   * range come from the per-day rollup the sealer keeps (plus the few rows not sealed yet); the
   * partial days at either end of the range are counted from the activities index. One statement,
   * so one snapshot: a row is counted either sealed or unsealed, never both.
   */
  async metrics(actor: BarongPrincipal, q: AdminMetricsQueryDto): Promise<Metrics> {
    assertAbility(actor.role, 'read', 'User');
    const { from, toExclusive } = epochRange(q.created_from, q.created_to);
    const [signups, sucessful_logins, failed_logins, pending] = await Promise.all([
      this.perDay('account', 'signup', 'succeed', from, toExclusive),
      this.perDay('session', 'login', 'succeed', from, toExclusive),
      this.perDay('session', 'login', 'failed', from, toExclusive),
      this.dataSource.query(`SELECT count(*)::int AS n FROM labels WHERE key = 'document' AND value = 'pending' AND scope = 'private'`) as Promise<{ n: number }[]>,
    ]);
    return { signups, sucessful_logins, failed_logins, pending_applications: pending[0]?.n ?? 0 };
  }

  private async perDay(topic: string, action: string, result: string, from?: Date, toExclusive?: Date): Promise<Record<string, number>> {
    const params: unknown[] = [topic, action, result];
    const p = (v: unknown): string => `$${params.push(v)}`;
    const live = (lo?: Date, hi?: Date, unsealedOnly = false): string => {
      let where = 'topic = $1 AND action = $2 AND result = $3';
      if (unsealedOnly) where += ' AND seq IS NULL';
      if (lo) where += ` AND created_at >= ${p(lo)}`;
      if (hi) where += ` AND created_at < ${p(hi)}`;
      return `SELECT (created_at AT TIME ZONE 'UTC')::date AS d, count(*) AS n FROM activities WHERE ${where} GROUP BY 1`;
    };
    const fullFrom = from ? dayCeil(from) : undefined;
    const fullTo = toExclusive ? dayFloor(toExclusive) : undefined;
    const parts: string[] = [];
    if (fullFrom && fullTo && fullFrom >= fullTo) {
      parts.push(live(from, toExclusive));
    } else {
      let rollup = 'SELECT day AS d, n FROM activity_daily_counts WHERE topic = $1 AND action = $2 AND result = $3';
      if (fullFrom) rollup += ` AND day >= ${p(fullFrom.toISOString().slice(0, 10))}::date`;
      if (fullTo) rollup += ` AND day < ${p(fullTo.toISOString().slice(0, 10))}::date`;
      parts.push(rollup, live(fullFrom, fullTo, true));
      if (from && fullFrom && from < fullFrom) parts.push(live(from, fullFrom));
      if (toExclusive && fullTo && fullTo < toExclusive) parts.push(live(fullTo, toExclusive));
    }
    const rows = (await this.dataSource.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day, sum(n)::int AS n FROM (${parts.join(' UNION ALL ')}) per_day GROUP BY d ORDER BY d`,
      params,
    )) as { day: string; n: number }[];
    return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.day, r.n]));
  }
}

const DAY_MS = 86_400_000;
/** The first UTC midnight at or after `d`. */
const dayCeil = (d: Date): Date => new Date(Math.ceil(d.getTime() / DAY_MS) * DAY_MS);
/** The last UTC midnight at or before `d`. */
const dayFloor = (d: Date): Date => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
