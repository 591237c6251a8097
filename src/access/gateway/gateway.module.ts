import { Module } from '@nestjs/common';

/** The gateway authorization endpoint /api/v2/auth/*: may this upstream request pass? */
@Module({})
export class GatewayModule {}
