import { Module } from '@nestjs/common';
import { ConnectController } from './connect.controller.js';

/** The connect protocol's control endpoint. */
@Module({ controllers: [ConnectController] })
export class ConnectModule {}
