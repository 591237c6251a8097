import { Module } from '@nestjs/common';
import { FaceRegistry } from '../../core/faces/face-registry.js';
import { GatewayController } from './gateway.controller.js';
import { GATEWAY_FACE } from './gateway.face.js';
import { GatewayFastPath } from './gateway.fast-path.js';
import { GatewayService } from './gateway.service.js';

/** The gateway authorization endpoint /api/v2/auth/*: may this upstream request pass? */
@Module({
  controllers: [GatewayController],
  providers: [GatewayService, GatewayFastPath],
  exports: [GatewayService],
})
export class GatewayModule {
  constructor(faces: FaceRegistry) {
    faces.register(GATEWAY_FACE);
  }
}
