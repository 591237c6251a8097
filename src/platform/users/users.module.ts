import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformUsersService } from './platform-users.service.js';
import { PlatformEmail, PlatformPhoneNumber, PlatformUser, PlatformUserCount, PlatformWebauthnCredential } from './user.entity.js';
import { UsersController } from './users.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([PlatformUser, PlatformEmail, PlatformPhoneNumber, PlatformWebauthnCredential, PlatformUserCount])],
  controllers: [UsersController],
  providers: [PlatformUsersService],
  exports: [PlatformUsersService],
})
export class PlatformUsersModule {}
