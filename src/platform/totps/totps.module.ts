import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformAppsModule } from '../apps/apps.module.js';
import { PlatformSessionsModule } from '../sessions/sessions.module.js';
import { PlatformUsersModule } from '../users/users.module.js';
import { PlatformTotp } from './totp.entity.js';
import { TotpsController } from './totps.controller.js';
import { TotpsService } from './totps.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([PlatformTotp]), PlatformUsersModule, PlatformSessionsModule, PlatformAppsModule],
  controllers: [TotpsController],
  providers: [TotpsService],
})
export class PlatformTotpsModule {}
