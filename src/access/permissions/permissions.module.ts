import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Permission } from './permission.entity.js';
import { PermissionsAuthorizer } from './permissions.authorizer.js';
import { AdminPermissionsController } from './admin-permissions.controller.js';
import { PermissionsService } from './permissions.service.js';
import { DecisionStats } from './decision-stats.js';

/** The permissions table, its compiled matcher, the RBAC authorizer and the admin permissions API. */
@Module({
  imports: [TypeOrmModule.forFeature([Permission])],
  controllers: [AdminPermissionsController],
  providers: [PermissionsService, PermissionsAuthorizer, DecisionStats],
  exports: [PermissionsService, DecisionStats],
})
export class PermissionsModule {}
