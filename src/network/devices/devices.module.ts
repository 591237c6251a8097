import { Module } from '@nestjs/common';
import { NetworkAuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { NetworksModule } from '../networks/networks.module.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeviceAdoptCode, DeviceAssociationName, DeviceShareCode } from './device.entity.js';
import { DevicesController } from './devices.controller.js';
import { DevicesService } from './devices.service.js';

/** Share and adopt codes, associations, device names and provide modes. */
@Module({
  imports: [TypeOrmModule.forFeature([DeviceShareCode, DeviceAdoptCode, DeviceAssociationName]), NetworkAuthModule, ClientsModule, NetworksModule],
  controllers: [DevicesController],
  providers: [DevicesService],
})
export class DevicesModule {}
