import { Module } from '@nestjs/common';
import { PlatformUsersModule } from '../users/users.module.js';
import { PlatformWalletsModule } from '../wallets/wallets.module.js';
import { TransfersController } from './transfers.controller.js';
import { TransfersService } from './transfers.service.js';

@Module({
  imports: [PlatformWalletsModule, PlatformUsersModule],
  controllers: [TransfersController],
  providers: [TransfersService],
})
export class PlatformTransfersModule {}
