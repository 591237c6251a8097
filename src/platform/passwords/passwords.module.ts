import { Module } from '@nestjs/common';
import { PlatformSessionsModule } from '../sessions/sessions.module.js';
import { PlatformUsersModule } from '../users/users.module.js';
import { PasswordsController } from './passwords.controller.js';
import { PasswordsService } from './passwords.service.js';

@Module({
  imports: [PlatformUsersModule, PlatformSessionsModule],
  controllers: [PasswordsController],
  providers: [PasswordsService],
})
export class PlatformPasswordsModule {}
