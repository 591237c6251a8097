import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserSections } from '../users/user-sections.js';
import { AdminCommentsController } from './comments.controller.js';
import { Comment } from './comment.entity.js';
import { CommentsService } from './comments.service.js';

/** Admins' comments on users (shown only in admin views). */
@Module({
  imports: [TypeOrmModule.forFeature([Comment])],
  controllers: [AdminCommentsController],
  providers: [CommentsService],
  exports: [CommentsService],
})
export class CommentsModule implements OnModuleInit {
  constructor(
    private readonly sections: UserSections,
    private readonly comments: CommentsService,
  ) {}

  onModuleInit(): void {
    this.sections.register('comments', (userIds, ctx) => this.comments.section(userIds, ctx.admin, ctx.manager));
  }
}
