import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformAppsModule } from '../apps/apps.module.js';
import { PlatformSessionsModule } from '../sessions/sessions.module.js';
import { PlatformUsersModule } from '../users/users.module.js';
import { OauthController } from './oauth.controller.js';
import { PlatformOauthProvider, PlatformOauthState, PlatformOauthToken } from './oauth.entity.js';
import { OauthService } from './oauth.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([PlatformOauthProvider, PlatformOauthState, PlatformOauthToken]), PlatformUsersModule, PlatformSessionsModule, PlatformAppsModule],
  controllers: [OauthController],
  providers: [OauthService],
  exports: [OauthService],
})
export class PlatformOauthModule {}
