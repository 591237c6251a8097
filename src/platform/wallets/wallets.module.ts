import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformAppsModule } from '../apps/apps.module.js';
import { PlatformSessionsModule } from '../sessions/sessions.module.js';
import { PlatformUsersModule } from '../users/users.module.js';
import { LedgerService } from './ledger.service.js';
import { WalletAuthService } from './wallet-auth.service.js';
import { PlatformBalance, PlatformLedgerEntry, PlatformTransfer, PlatformWallet, PlatformWalletRegistration } from './wallet.entity.js';
import { WalletAliasesController, WalletsApi, WalletsController } from './wallets.controller.js';
import { WalletsService } from './wallets.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([PlatformWallet, PlatformWalletRegistration, PlatformBalance, PlatformLedgerEntry, PlatformTransfer]),
    PlatformUsersModule,
    PlatformSessionsModule,
    PlatformAppsModule,
  ],
  controllers: [WalletsController, WalletAliasesController],
  providers: [WalletsService, WalletAuthService, LedgerService, WalletsApi],
  exports: [WalletsService, LedgerService, TypeOrmModule],
})
export class PlatformWalletsModule {}
