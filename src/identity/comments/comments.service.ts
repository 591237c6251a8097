import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { AppError } from '../../core/http/app-error.js';
import { adminTarget, auditAction, type AdminAudit } from '../labels/labels-api.service.js';
import { User } from '../users/user.entity.js';
import type { CommentView } from './comments.dto.js';
import { Comment } from './comment.entity.js';

export const MAX_COMMENT_TITLE = 64;
export const MAX_COMMENT_DATA = 65535;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function lengthErrors(title?: string, data?: string): string[] {
  const out: string[] = [];
  if (title !== undefined && [...title].length > MAX_COMMENT_TITLE) out.push('admin.comments.title_too_long');
  if (data !== undefined && [...data].length > MAX_COMMENT_DATA) out.push('admin.comments.data_too_long');
  return out;
}

/** Admins' notes about users; each write returns the user it is about. */
@Injectable()
export class CommentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesService,
  ) {}

  view(c: Comment): CommentView {
    return { id: c.id, author_uid: c.authorUid, title: c.title, data: c.data, created_at: c.createdAt.toISOString(), updated_at: c.updatedAt.toISOString() };
  }

  async section(userIds: string[], admin: boolean, manager: EntityManager = this.dataSource.manager): Promise<Map<string, unknown[]>> {
    const out = new Map<string, unknown[]>();
    if (!admin || !userIds.length) return out;
    const rows = await manager.find(Comment, { where: { userId: In(userIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const c of rows) out.set(c.userId, [...(out.get(c.userId) ?? []), this.view(c)]);
    return out;
  }

  private record(m: EntityManager, audit: AdminAudit, verb: 'POST' | 'PUT' | 'DELETE', targetUid: string): Promise<void> {
    return this.activities.record(
      { userId: audit.principal.id, category: 'admin', topic: 'users', action: auditAction(verb), result: 'succeed', meta: audit.meta, targetUid, data: audit.params },
      m,
    );
  }

  private async byId(m: EntityManager, id: string): Promise<{ comment: Comment; user: User }> {
    const comment = UUID.test(String(id)) ? await m.findOne(Comment, { where: { id: String(id) }, relations: { user: true } }) : null;
    if (!comment) throw AppError.notFound('admin.comment.doesnt_exist');
    return { comment, user: comment.user! };
  }

  async create(input: { uid: string; title: string; data: string }, audit: AdminAudit): Promise<User> {
    const title = String(input.title);
    const data = String(input.data);
    return this.dataSource.transaction(async (m) => {
      const user = await adminTarget(m, input.uid, audit.principal, null);
      const errors = lengthErrors(title, data);
      if (errors.length) throw AppError.unprocessable(errors);
      await m.save(m.create(Comment, { userId: user.id, authorUid: audit.principal.uid, title, data }));
      await this.record(m, audit, 'POST', user.uid);
      return user;
    });
  }

  async update(input: { id: string; title?: string; data?: string }, audit: AdminAudit): Promise<User> {
    const title = input.title === undefined ? undefined : String(input.title);
    const data = input.data === undefined ? undefined : String(input.data);
    return this.dataSource.transaction(async (m) => {
      const { comment, user } = await this.byId(m, input.id);
      const errors = lengthErrors(title, data);
      if (errors.length) throw AppError.unprocessable(errors);
      await m.update(Comment, { id: comment.id }, { ...(title !== undefined && { title }), ...(data !== undefined && { data }) });
      await this.record(m, audit, 'PUT', user.uid);
      return user;
    });
  }

  async remove(id: string, audit: AdminAudit): Promise<User> {
    return this.dataSource.transaction(async (m) => {
      const { comment, user } = await this.byId(m, id);
      await m.delete(Comment, { id: comment.id });
      await this.record(m, audit, 'DELETE', user.uid);
      return user;
    });
  }
}
