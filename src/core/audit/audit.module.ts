import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Activity } from './activity.entity.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityChainHead, ActivityCheckpoint, ActivityDailyCount } from './activity-chain.entity.js';
import { ActivitySealer } from './activity-sealer.service.js';
import { ActivityChainVerifier } from './activity-chain-verifier.js';
import { ActivityPartitions } from './activity-partitions.service.js';

/** The activity write model: recording in the caller's transaction, sealing, verification, partitions. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Activity, ActivityCheckpoint, ActivityChainHead, ActivityDailyCount])],
  providers: [ActivitiesService, ActivitySealer, ActivityChainVerifier, ActivityPartitions],
  exports: [ActivitiesService, ActivitySealer, ActivityChainVerifier, ActivityPartitions],
})
export class AuditModule {}
