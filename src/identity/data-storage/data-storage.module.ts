import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserSections } from '../users/user-sections.js';
import { AdminDataStorageController, ResourceDataStorageController } from './data-storage.controller.js';
import { DataStorage } from './data-storage.entity.js';
import { DataStorageService } from './data-storage.service.js';

/** Users' titled data records (write by the user, removal by an admin). */
@Module({
  imports: [TypeOrmModule.forFeature([DataStorage])],
  controllers: [ResourceDataStorageController, AdminDataStorageController],
  providers: [DataStorageService],
  exports: [DataStorageService],
})
export class DataStorageModule implements OnModuleInit {
  constructor(
    private readonly sections: UserSections,
    private readonly storage: DataStorageService,
  ) {}

  onModuleInit(): void {
    this.sections.register('data_storages', (userIds, ctx) => this.storage.section(userIds, ctx.manager));
  }
}
