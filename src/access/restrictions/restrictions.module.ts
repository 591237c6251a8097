import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GeoIp } from './geoip.js';
import { Restriction, RestrictionWhitelink } from './restriction.entity.js';
import { AdminRestrictionsController, WhitelinkAccessController } from './restrictions.controllers.js';
import { RestrictionsScreen } from './restrictions.screen.js';
import { RestrictionsService } from './restrictions.service.js';

/**
 * Restrictions (whitelist, maintenance, blacklist, blocklogin), screened before everything else
 * on every request, their admin API, and whitelinks.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Restriction, RestrictionWhitelink])],
  controllers: [AdminRestrictionsController, WhitelinkAccessController],
  providers: [GeoIp, RestrictionsScreen, RestrictionsService],
  exports: [RestrictionsService, GeoIp],
})
export class RestrictionsModule {}
