import { Module } from '@nestjs/common';
import { AdminAbilitiesController, AdminActivitiesController, AdminMetricsController } from './admin-activities.controller.js';
import { AdminActivitiesService } from './admin-activities.service.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { ProfileFilter } from './profile-filter.js';

/** Barong admin API over users: abilities, users, activities (list, verify, export), metrics. */
@Module({
  controllers: [AdminAbilitiesController, AdminUsersController, AdminAuditController, AdminActivitiesController, AdminMetricsController],
  providers: [AdminUsersService, AdminActivitiesService, ProfileFilter],
  exports: [AdminUsersService, AdminActivitiesService],
})
export class AdminModule {}
