import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import type { Page } from '../../core/http/pagination.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { User } from '../users/user.entity.js';
import { Label, LabelScope } from './label.entity.js';
import { labelErrors } from './label-rules.js';
import { LabelsService, normalizeLabelPart } from './labels.service.js';

export interface AdminLabelInput {
  uid: string;
  key: string;
  value: string;
  scope?: string;
  description?: string;
}

/** The admin activity that a self-audited admin write records in its own transaction. */
export interface AdminAudit {
  principal: BarongPrincipal;
  meta: RequestMeta;
  /** The request parameters, as Barong's audit would log them. */
  params: Record<string, unknown>;
}

const isUniqueViolation = (e: unknown): boolean => e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505';

/**
 * Finds the target of an admin write by uid (404 admin.user.doesnt_exist) and applies Barong's
 * superadmin protection (only a superadmin may change a superadmin) unless `superadminCode` is null.
 */
export async function adminTarget(m: EntityManager, uid: string, principal: BarongPrincipal, superadminCode: string | null = 'admin.user.superadmin_change'): Promise<User> {
  const user = await m.findOne(User, { where: { uid: String(uid), appId: principal.appId } });
  if (!user) throw AppError.notFound('admin.user.doesnt_exist');
  if (superadminCode && user.role === 'superadmin' && principal.role !== 'superadmin') throw AppError.unprocessable(superadminCode);
  return user;
}

/** Barong's audit action for an HTTP verb. */
export const auditAction = (verb: 'POST' | 'PUT' | 'PATCH' | 'DELETE'): string =>
  ({ POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' })[verb];

/** Label endpoints of the user and admin faces, over the shared LabelsService. */
@Injectable()
export class LabelsApiService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly labels: LabelsService,
    private readonly activities: ActivitiesService,
  ) {}

  // ---- user face ----------------------------------------------------------------------------

  listOwn(userId: string, ordering: 'asc' | 'desc'): Promise<Label[]> {
    return this.dataSource.manager.find(Label, {
      where: { userId },
      order: { createdAt: ordering === 'desc' ? 'DESC' : 'ASC', id: ordering === 'desc' ? 'DESC' : 'ASC' },
    });
  }

  /** The user's label with this key, in either scope (public first). */
  private async ownByKey(m: EntityManager, userId: string, key: string): Promise<Label> {
    const rows = await m.find(Label, { where: { userId, key: normalizeLabelPart(String(key)) } });
    const label = rows.find((l) => l.scope === 'public') ?? rows[0];
    if (!label) throw AppError.notFound('record.not_found');
    return label;
  }

  getOwn(userId: string, key: string): Promise<Label> {
    return this.ownByKey(this.dataSource.manager, userId, key);
  }

  /** Users create public labels only; a public label with that key must not exist yet. */
  async createOwn(userId: string, key: string, value: string): Promise<Label> {
    const errors = labelErrors({ key: String(key), value: String(value) });
    if (errors.length) throw AppError.unprocessable(errors);
    try {
      return await this.dataSource.transaction(async (m) => {
        if (await this.labels.find(userId, String(key), 'public', m)) throw AppError.unprocessable('key.taken');
        return this.labels.set(m, userId, { key: String(key), value: String(value), scope: 'public' });
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw AppError.unprocessable('key.taken');
      throw e;
    }
  }

  async updateOwn(userId: string, key: string, value: string): Promise<Label> {
    return this.dataSource.transaction(async (m) => {
      const label = await this.ownByKey(m, userId, key);
      if (label.scope === 'private') throw AppError.badRequest('resource.labels.private');
      const errors = labelErrors({ value: String(value) });
      if (errors.length) throw AppError.unprocessable(errors);
      return this.labels.set(m, userId, { key: label.key, value: String(value), scope: 'public' });
    });
  }

  async deleteOwn(userId: string, key: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const label = await this.ownByKey(m, userId, key);
      if (label.scope === 'private') throw AppError.badRequest('resource.labels.private');
      await this.labels.remove(m, userId, label.key, 'public');
    });
  }

  // ---- admin face ---------------------------------------------------------------------------

  /** Users having a label key/value in any scope, oldest first. */
  async usersWithLabel(key: string, value: string, page: number, limit: number): Promise<Page<User>> {
    const [items, total] = await this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .where('EXISTS (SELECT 1 FROM labels l WHERE l.user_id = u.id AND l.key = :key AND l.value = :value)', {
        key: normalizeLabelPart(String(key)),
        value: normalizeLabelPart(String(value)),
      })
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((page - 1) * limit)
      .take(limit)
      .getManyAndCount();
    return { items, total, page, limit };
  }

  /** Private labels counted by (key, value), keyed as Barong prints the pair: `["email", "verified"]`. */
  async privateCounts(): Promise<Record<string, number>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(Label, 'l')
      .select('l.key', 'key')
      .addSelect('l.value', 'value')
      .addSelect('COUNT(*)::int', 'count')
      .where('l.scope = :scope', { scope: 'private' })
      .groupBy('l.key')
      .addGroupBy('l.value')
      .orderBy('l.key', 'ASC')
      .addOrderBy('l.value', 'ASC')
      .getRawMany<{ key: string; value: string; count: number }>();
    const out: Record<string, number> = {};
    for (const r of rows) out[`["${r.key}", "${r.value}"]`] = Number(r.count);
    return out;
  }

  private async audited<T>(audit: AdminAudit, verb: 'POST' | 'PUT' | 'DELETE', uid: string, work: (m: EntityManager, user: User) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const user = await adminTarget(m, uid, audit.principal);
        const result = await work(m, user);
        await this.activities.record(
          {
            userId: audit.principal.id,
            category: 'admin',
            topic: 'users',
            action: auditAction(verb),
            result: 'succeed',
            meta: audit.meta,
            targetUid: user.uid,
            data: audit.params,
          },
          m,
        );
        return result;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw AppError.unprocessable('key.taken');
      throw e;
    }
  }

  /** POST /admin/users/labels: a new label in either scope (public by default). */
  adminCreate(input: AdminLabelInput, audit: AdminAudit): Promise<Label> {
    const scope = input.scope ?? 'public';
    const errors = labelErrors({ key: String(input.key), value: String(input.value), scope });
    return this.audited(audit, 'POST', input.uid, async (m, user) => {
      const taken = !errors.includes('scope.inclusion') && (await this.labels.find(user.id, String(input.key), scope as LabelScope, m));
      if (taken) errors.push('key.taken');
      if (errors.length) throw AppError.unprocessable(errors);
      return this.labels.set(m, user.id, { key: String(input.key), value: String(input.value), scope: scope as LabelScope, description: input.description ?? null });
    });
  }

  /** PUT /admin/users/labels (replace=false) and POST /admin/users/labels/update (upsert when replace). */
  adminUpdate(input: AdminLabelInput & { scope: string }, audit: AdminAudit, opts: { upsert: boolean; verb: 'POST' | 'PUT' }): Promise<Label> {
    return this.audited(audit, opts.verb, input.uid, async (m, user) => {
      const scopeErrors = labelErrors({ scope: input.scope });
      if (scopeErrors.length) throw AppError.unprocessable(scopeErrors);
      const scope = input.scope as LabelScope;
      const existing = await this.labels.find(user.id, String(input.key), scope, m);
      if (!existing && !opts.upsert) throw AppError.notFound('admin.label.doesnt_exist');
      const errors = labelErrors({ key: existing ? undefined : String(input.key), value: String(input.value) });
      if (errors.length) throw AppError.unprocessable(errors);
      return this.labels.set(m, user.id, { key: String(input.key), value: String(input.value), scope, description: input.description });
    });
  }

  adminDelete(input: { uid: string; key: string; scope: string }, audit: AdminAudit): Promise<void> {
    return this.audited(audit, 'DELETE', input.uid, async (m, user) => {
      const scope = input.scope as LabelScope;
      const existing = scope === 'public' || scope === 'private' ? await this.labels.find(user.id, String(input.key), scope, m) : null;
      if (!existing) throw AppError.notFound('admin.label.doesnt_exist');
      await this.labels.remove(m, user.id, existing.key, scope);
    });
  }
}
