import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, QueryFailedError } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { AppError } from '../../core/http/app-error.js';
import { adminTarget, type AdminAudit } from '../labels/labels-api.service.js';
import { isValidLabelKey } from '../labels/label-rules.js';
import { LabelsService } from '../labels/labels.service.js';
import { User } from '../users/user.entity.js';
import type { DataStorageView } from './data-storage.dto.js';
import { DataStorage } from './data-storage.entity.js';
import { UserSections } from '../users/user-sections.js';

/** Titles that would collide with the system's own labels. */
export const RESERVED_STORAGE_TITLES = ['document', 'label', 'profile', 'phone', 'user'];
export const MAX_STORAGE_DATA = 5120;

const isUniqueViolation = (e: unknown): boolean => e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505';

@Injectable()
export class DataStorageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly labels: LabelsService,
    private readonly activities: ActivitiesService,
    private readonly sections: UserSections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  view(d: DataStorage): DataStorageView {
    return { title: d.title, data: d.data, created_at: d.createdAt.toISOString(), updated_at: d.updatedAt.toISOString() };
  }

  async section(userIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, unknown[]>> {
    const out = new Map<string, unknown[]>();
    if (!userIds.length) return out;
    const rows = await manager.find(DataStorage, { where: { userId: In(userIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const d of rows) out.set(d.userId, [...(out.get(d.userId) ?? []), this.view(d)]);
    return out;
  }

  /** Stores a titled record (titles are unique per user, case-insensitively) and labels `<title>:recorded`. */
  async create(userId: string, rawTitle: unknown, rawData: unknown): Promise<DataStorage> {
    const title = String(rawTitle);
    const data = typeof rawData === 'string' ? rawData : JSON.stringify(rawData);
    const errors: string[] = [];
    if ([...title].length > 64) errors.push('title.too_long');
    if (!this.config.barong.userStorageTitles.includes(title)) errors.push('title.inclusion');
    if (RESERVED_STORAGE_TITLES.includes(title)) errors.push('title.exclusion');
    try {
      JSON.parse(data);
    } catch {
      errors.push('data.invalid_format');
    }
    if (data.length > MAX_STORAGE_DATA) errors.push('data.too_long');
    try {
      return await this.dataSource.transaction(async (m) => {
        // One writer per user at a time, so the case-insensitive uniqueness check holds.
        await m.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
        const taken = await m
          .createQueryBuilder(DataStorage, 'd')
          .where('d.user_id = :userId AND lower(d.title) = lower(:title)', { userId, title })
          .getExists();
        if (taken) errors.push('title.taken');
        if (errors.length) throw AppError.unprocessable(errors);
        const record = await m.save(m.create(DataStorage, { userId, title, data }));
        if (isValidLabelKey(title)) await this.labels.setPrivate(m, userId, title, 'recorded');
        return record;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw AppError.unprocessable('title.taken');
      throw e;
    }
  }

  /** Admin removal of a record; the `<title>:recorded` label stays, as in Barong. */
  async adminDelete(uid: string, title: string, audit: AdminAudit): Promise<User> {
    return this.dataSource.transaction(async (m) => {
      const user = await adminTarget(m, uid, audit.principal, null);
      const record = await m
        .createQueryBuilder(DataStorage, 'd')
        .where('d.user_id = :userId AND lower(d.title) = lower(:title)', { userId: user.id, title: String(title) })
        .getOne();
      if (!record) throw AppError.notFound('admin.storage.doesnt_exist');
      await m.delete(DataStorage, { id: record.id });
      await this.sections.changed(user.id, m);
      await this.activities.record(
        {
          userId: audit.principal.id,
          category: 'admin',
          topic: 'users',
          action: 'delete',
          result: 'succeed',
          meta: audit.meta,
          targetUid: user.uid,
          data: audit.params,
        },
        m,
      );
      return user;
    });
  }
}
