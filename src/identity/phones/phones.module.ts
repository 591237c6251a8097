import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PiiIndex } from '../documents/pii-index.js';
import { Phone } from './phone.entity.js';
import { PhonesService } from './phones.service.js';
import { ResourcePhonesController } from './resource-phones.controller.js';

/** Phone numbers and SMS verification codes. */
@Module({
  imports: [TypeOrmModule.forFeature([Phone])],
  controllers: [ResourcePhonesController],
  providers: [PhonesService, PiiIndex],
  exports: [PhonesService],
})
export class PhonesModule {}
