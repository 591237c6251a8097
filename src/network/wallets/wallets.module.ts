import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworksModule } from '../networks/networks.module.js';
import { CircleGateway, UnconfiguredCircleGateway } from './circle-gateway.js';
import { NetworkPayoutWallet, NetworkWallet } from './wallet.entity.js';
import { WalletsController } from './wallets.controller.js';
import { WalletsService } from './wallets.service.js';

/** Circle wallets (through a gateway), external payout wallets, referral codes. */
@Module({
  imports: [TypeOrmModule.forFeature([NetworkWallet, NetworkPayoutWallet]), NetworksModule],
  controllers: [WalletsController],
  providers: [WalletsService, { provide: CircleGateway, useClass: UnconfiguredCircleGateway }],
})
export class WalletsModule {}
