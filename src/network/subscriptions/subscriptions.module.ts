import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminBalanceCodesController } from './admin-balance-codes.controller.js';
import { BalanceCode, SubscriptionPaymentId, TransferBalance } from './subscription.entity.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Balance codes (and their admin API), transfer balances, payment ids. */
@Module({
  imports: [TypeOrmModule.forFeature([BalanceCode, TransferBalance, SubscriptionPaymentId])],
  controllers: [SubscriptionsController, AdminBalanceCodesController],
  providers: [SubscriptionsService],
})
export class SubscriptionsModule {}
