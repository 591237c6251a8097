import { Module } from '@nestjs/common';
import { AdminAppsController } from './admin-apps.controller.js';
import { AppDirectory } from './app-directory.js';
import { AppKeyLookup, AppPublicTokenResolver, AppSecretKeyResolver } from './app-key.resolvers.js';

/** Tenant keys (the /v1 credentials) and the superadmin's app management. */
@Module({
  controllers: [AdminAppsController],
  providers: [AppSecretKeyResolver, AppPublicTokenResolver, AppKeyLookup, AppDirectory],
  exports: [AppKeyLookup, AppDirectory],
})
export class PlatformAppsModule {}
