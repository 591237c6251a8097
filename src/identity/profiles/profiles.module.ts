import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserSections } from '../users/user-sections.js';
import { AdminProfilesController } from './admin-profiles.controller.js';
import { Profile } from './profile.entity.js';
import { ProfilesService } from './profiles.service.js';
import { ResourceProfilesController } from './resource-profiles.controller.js';

/** KYC profiles: the user's own (masked views) and the admin review. */
@Module({
  imports: [TypeOrmModule.forFeature([Profile])],
  controllers: [ResourceProfilesController, AdminProfilesController],
  providers: [ProfilesService],
  exports: [ProfilesService],
})
export class ProfilesModule implements OnModuleInit {
  constructor(
    private readonly sections: UserSections,
    private readonly profiles: ProfilesService,
  ) {}

  onModuleInit(): void {
    this.sections.register('profiles', (userIds, ctx) => this.profiles.section(userIds, ctx.admin, ctx.manager));
  }
}
