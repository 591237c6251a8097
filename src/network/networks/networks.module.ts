import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Network, NetworkReferralCode } from './network.entity.js';
import { NetworksService } from './networks.service.js';

/** Networks (accounts) and their names. */
@Module({
  imports: [TypeOrmModule.forFeature([Network, NetworkReferralCode])],
  providers: [NetworksService],
  exports: [NetworksService],
})
export class NetworksModule {}
