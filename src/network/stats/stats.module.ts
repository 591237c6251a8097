import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module.js';
import { NetworksModule } from '../networks/networks.module.js';
import { ProviderDailyStat } from './provider-stat.entity.js';
import { ProviderStatsService } from './provider-stats.service.js';
import { StatsController } from './stats.controller.js';
import { StatsService } from './stats.service.js';

/** Provider figures, network stats and transfer stats. */
@Module({
  imports: [TypeOrmModule.forFeature([ProviderDailyStat]), ClientsModule, NetworksModule],
  controllers: [StatsController],
  providers: [ProviderStatsService, StatsService],
  exports: [ProviderStatsService],
})
export class StatsModule {}
