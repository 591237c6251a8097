import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { LocationsController } from './locations.controller.js';
import { LocationsService } from './locations.service.js';

/** Countries, regions, cities and groups; provider search. */
@Module({
  imports: [ClientsModule, StatsModule],
  controllers: [LocationsController],
  providers: [LocationsService],
  exports: [LocationsService],
})
export class LocationsModule {}
