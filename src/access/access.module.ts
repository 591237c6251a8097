import { Module } from '@nestjs/common';
import { PermissionsModule } from './permissions/permissions.module.js';

/**
 * Access control: the permissions table and its compiled matcher, restrictions, the global
 * permission guard, the admin API and the gateway authorization endpoint.
 */
@Module({
  imports: [PermissionsModule],
  exports: [PermissionsModule],
})
export class AccessModule {}
