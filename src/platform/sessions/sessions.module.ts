import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformAppsModule } from '../apps/apps.module.js';
import { PlatformUsersModule } from '../users/users.module.js';
import { AppSigningKeysService } from './app-signing-keys.service.js';
import { PlatformSessionsService } from './platform-sessions.service.js';
import { PlatformSession, PlatformSigningKey } from './session.entity.js';
import { SessionsController } from './sessions.controller.js';
import { SessionVerifyFastPath } from './verify.fast-path.js';

@Module({
  imports: [TypeOrmModule.forFeature([PlatformSession, PlatformSigningKey]), PlatformUsersModule, PlatformAppsModule],
  controllers: [SessionsController],
  providers: [AppSigningKeysService, PlatformSessionsService, SessionVerifyFastPath],
  exports: [AppSigningKeysService, PlatformSessionsService],
})
export class PlatformSessionsModule {}
