import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RestrictionsModule } from '../../access/restrictions/restrictions.module.js';
import { NetworkAuthModule } from '../auth/auth.module.js';
import { NetworkClient, NetworkClientSlots, NetworkDevice } from './client.entity.js';
import { ClientsController } from './clients.controller.js';
import { ClientsService } from './clients.service.js';

/** Devices, clients and client JWTs. */
@Module({
  imports: [TypeOrmModule.forFeature([NetworkDevice, NetworkClient, NetworkClientSlots]), NetworkAuthModule, RestrictionsModule],
  controllers: [ClientsController],
  providers: [ClientsService],
  exports: [ClientsService],
})
export class ClientsModule {}
