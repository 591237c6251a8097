import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformAppsModule } from '../apps/apps.module.js';
import { PlatformSessionsModule } from '../sessions/sessions.module.js';
import { PlatformUsersModule } from '../users/users.module.js';
import { PlatformOtpCode } from './otp-code.entity.js';
import { OtpsController } from './otps.controller.js';
import { OtpsService } from './otps.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([PlatformOtpCode]), PlatformUsersModule, PlatformSessionsModule, PlatformAppsModule],
  controllers: [OtpsController],
  providers: [OtpsService],
})
export class PlatformOtpsModule {}
