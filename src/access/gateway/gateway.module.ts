import { Module } from '@nestjs/common';
import { GatewayController } from './gateway.controller.js';
import { GatewayFastPath } from './gateway.fast-path.js';
import { GatewayService } from './gateway.service.js';

/** The gateway authorization endpoint /api/v2/auth/*: may this upstream request pass? */
@Module({
  controllers: [GatewayController],
  providers: [GatewayService, GatewayFastPath],
  exports: [GatewayService],
})
export class GatewayModule {}
