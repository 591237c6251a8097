import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, QueryFailedError } from 'typeorm';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { AccessControl } from '../../core/auth/access-control.js';
import { AppError } from '../../core/http/app-error.js';
import type { Page } from '../../core/http/pagination.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { LabelsService } from '../../identity/labels/labels.service.js';
import { UserPresenter } from '../../identity/users/user-presenter.js';
import { User } from '../../identity/users/user.entity.js';
import { normalizeEmail, UsersService } from '../../identity/users/users.service.js';
import { assertAbility } from '../../core/auth/abilities.js';
import { ActivitiesService, scrubSecrets } from '../../core/audit/activities.service.js';
import { AdminUsersQueryDto, USER_ORDER_COLUMNS } from './admin-users.dto.js';
import { epochRange, pageTotal } from './page-total.js';
import { ProfileFilter } from './profile-filter.js';

export type UserView = Record<string, unknown>;

/** The one attribute an admin write changes. */
export type UserChangeRequest =
  | { uid: string; field: 'state'; value: string }
  | { uid: string; field: 'otp'; value: boolean }
  | { uid: string; field: 'email'; value: string }
  | { uid: string; field: 'role'; value: string };

const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STATE_MAX = 32;
const EMAIL_MAX = 255;

/**
 * Barong's admin API over users: the filtered list, one user with KYC, and the state/otp/e-mail/role
 * writes. Each write runs in one transaction with the row locked, re-checks every rule on the locked
 * row, applies the change through UsersService (so the change hooks run: API keys go inactive, ...),
 * and records an admin activity about the target in that same transaction.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly presenter: UserPresenter,
    private readonly labels: LabelsService,
    private readonly activities: ActivitiesService,
    private readonly access: AccessControl,
    private readonly profiles: ProfileFilter,
  ) {}

  async list(actor: BarongPrincipal, q: AdminUsersQueryDto): Promise<Page<UserView>> {
    assertAbility(actor.role, 'read', 'User');
    const m = this.dataSource.manager;
    const page = q.page ?? 1;
    const limit = q.limit ?? 100;
    // Only the admin's own tenant: users of platform apps never show on the Barong face.
    const qb = m.createQueryBuilder(User, 'u').where('u.appId = :appId', { appId: actor.appId });
    if (q.uid !== undefined) qb.andWhere('u.uid = :uid', { uid: q.uid });
    if (q.email !== undefined) qb.andWhere('u.email = :email', { email: normalizeEmail(q.email) });
    if (q.role !== undefined) qb.andWhere('u.role = :role', { role: q.role });
    if (q.level !== undefined) qb.andWhere('u.level = :level', { level: q.level });
    if (q.state !== undefined) qb.andWhere('u.state = :state', { state: q.state });
    const column = q.range === 'updated' ? 'u.updatedAt' : 'u.createdAt';
    const { from, toExclusive } = epochRange(q.from, q.to);
    if (from) qb.andWhere(`${column} >= :from`, { from });
    if (toExclusive) qb.andWhere(`${column} < :toExclusive`, { toExclusive });
    const direction = q.ordering === 'desc' ? 'DESC' : 'ASC';
    const orderBy = USER_ORDER_COLUMNS[q.order_by ?? 'id'];
    qb.orderBy(`u.${orderBy}`, direction);
    if (orderBy !== 'id') qb.addOrderBy('u.id', direction);

    const profileFields = { first_name: q.first_name, last_name: q.last_name, country: q.country };
    if (Object.values(profileFields).some((v) => v !== undefined)) {
      if (!(await this.profiles.restrict(qb, 'u', profileFields))) return { items: [], total: 0, page, limit };
    }
    let rows: User[];
    let total: number;
    if (q.first_name !== undefined || q.last_name !== undefined) {
      // Names are sealed at rest: match them on the opened profiles of the users the SQL filters
      // leave (every such user is read, so this filter is not index-backed; narrow it with others).
      const candidates = ((await qb.clone().select('u.id', 'id').getRawMany()) as { id: string }[]).map((r) => r.id);
      const matched = await this.profiles.matchNames(candidates, profileFields);
      total = matched.length;
      const ids = matched.slice((page - 1) * limit, page * limit);
      const found = ids.length ? await m.find(User, { where: { id: In(ids) } }) : [];
      const byId = new Map(found.map((u) => [u.id, u]));
      rows = ids.map((id) => byId.get(id)).filter((u): u is User => !!u);
    } else {
      qb.offset((page - 1) * limit).limit(limit);
      [rows, total] = await Promise.all([qb.getMany(), pageTotal(m, qb)]);
    }
    const items = q.extended ? await this.presenter.withProfile(rows) : await this.presenter.basic(rows);
    return { items, total, page, limit };
  }

  async get(actor: BarongPrincipal, uid: string): Promise<UserView> {
    assertAbility(actor.role, 'read', 'User');
    const user = await this.users.findByUid(uid);
    if (!user || user.appId !== actor.appId) throw AppError.notFound('admin.user.doesnt_exist');
    return this.presenter.withKyc(user);
  }

  /** `POST users/update`, `PUT users`, `POST users/role`: one attribute, Barong's checks in Barong's order. */
  async change(actor: BarongPrincipal, req: UserChangeRequest, meta: RequestMeta): Promise<UserView> {
    assertAbility(actor.role, 'update', 'User');
    const roles = req.field === 'role' ? await this.access.roles() : [];
    try {
      return await this.dataSource.transaction(async (m) => {
        const user = await m.findOne(User, { where: { uid: req.uid, appId: actor.appId }, lock: { mode: 'pessimistic_write' } });
        if (!user) throw AppError.notFound('admin.user.doesnt_exist');
        const actorIsSuperadmin = actor.role === 'superadmin';
        if (user.role === 'superadmin' && !actorIsSuperadmin) throw AppError.unprocessable('admin.user.superadmin_change');
        if (user.uid === actor.uid) throw AppError.unprocessable('admin.user.update_himself');
        if (req.field === 'email' && !actorIsSuperadmin) throw AppError.unprocessable('superadmin.user.update_email');
        if (req.field === 'otp' && req.value === true) throw AppError.unprocessable('admin.user.enable_2fa');
        const value = req.field === 'email' ? normalizeEmail(req.value) : req.value;
        const previous = user[req.field];
        if (previous === value) throw AppError.unprocessable(`admin.user.${req.field}_no_change`);
        await this.validate(m, user, req.field, value, roles, actorIsSuperadmin);

        await this.users.applyChange(m, user, { [req.field]: value });
        // Barong deletes the label without the state/level recompute a label change would trigger.
        if (req.field === 'otp') await this.labels.remove(m, user.id, 'otp', 'private', false);
        await this.activities.record(
          {
            userId: actor.kind === 'user' ? actor.id : null,
            category: 'admin',
            topic: 'users',
            action: 'update',
            result: 'succeed',
            targetUid: user.uid,
            meta,
            data: scrubSecrets({ uid: user.uid, attribute: req.field, from: previous, to: value, admin_uid: actor.uid }),
          },
          m,
        );
        const [view] = await this.presenter.basic([user], m);
        return view!;
      });
    } catch (err) {
      // Two admins racing to give two users the same e-mail: the unique index decides.
      if (err instanceof QueryFailedError && (err as unknown as { code?: string }).code === '23505' && req.field === 'email') {
        throw AppError.unprocessable('email.taken');
      }
      throw err;
    }
  }

  /** The model validations Barong runs on save (`code_error!`). */
  private async validate(m: EntityManager, user: User, field: UserChangeRequest['field'], value: unknown, roles: string[], actorIsSuperadmin: boolean): Promise<void> {
    if (field === 'state' && String(value).length > STATE_MAX) throw AppError.unprocessable('state.too_long');
    if (field === 'email') {
      const email = String(value);
      if (email.length > EMAIL_MAX || !EMAIL_FORMAT.test(email)) throw AppError.unprocessable('email.invalid');
      if (await this.users.emailTaken(email, user.appId, m)) throw AppError.unprocessable('email.taken');
    }
    if (field === 'role') {
      if (!roles.includes(String(value))) throw AppError.unprocessable('role.doesnt_exist');
      // Barong leaves this to the permissions table; refusing it here too keeps a role that may
      // manage users (compliance, support) from minting superadmins.
      if (value === 'superadmin' && !actorIsSuperadmin) throw AppError.unprocessable('admin.user.superadmin_change');
    }
  }
}
