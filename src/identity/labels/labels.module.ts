import { Module, OnModuleInit } from '@nestjs/common';
import { In, DataSource } from 'typeorm';
import { CommentsModule } from '../comments/comments.module.js';
import { DataStorageModule } from '../data-storage/data-storage.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { UserSections } from '../users/user-sections.js';
import { AdminLabelsController, AdminLevelsController } from './admin-labels.controller.js';
import { Label } from './label.entity.js';
import { adminLabelView, labelView } from './label-views.js';
import { LabelsApiService } from './labels-api.service.js';
import { ResourceLabelsController } from './resource-labels.controller.js';

/** Label, profile, data-storage and comment endpoints (user and admin faces). */
@Module({
  imports: [ProfilesModule, DataStorageModule, CommentsModule],
  controllers: [ResourceLabelsController, AdminLabelsController, AdminLevelsController],
  providers: [LabelsApiService],
})
export class LabelsModule implements OnModuleInit {
  constructor(
    private readonly sections: UserSections,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.sections.register('labels', async (userIds, ctx) => {
      const m = ctx.manager ?? this.dataSource.manager;
      const rows = userIds.length ? await m.find(Label, { where: { userId: In(userIds) }, order: { createdAt: 'ASC', id: 'ASC' } }) : [];
      const out = new Map<string, unknown[]>();
      for (const l of rows) {
        const list = out.get(l.userId) ?? [];
        list.push(ctx.admin ? adminLabelView(l) : labelView(l));
        out.set(l.userId, list);
      }
      return out;
    });
  }
}
