import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { NotBlankIfPresent, Required } from '../../core/http/validation.js';

export class CreateCommentDto {
  @ApiProperty({ description: 'uid of the user the comment is about' })
  @Required('admin.user')
  uid: string;

  @ApiProperty({ maxLength: 64 })
  @Required('admin.user')
  title: string;

  @ApiProperty({ maxLength: 65535, description: 'Plain text' })
  @Required('admin.user')
  data: string;
}

export class UpdateCommentDto {
  @ApiProperty({ description: 'Comment id' })
  @Required('admin.user')
  id: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @NotBlankIfPresent('admin.user')
  title?: string;

  @ApiPropertyOptional({ maxLength: 65535 })
  @IsOptional()
  @NotBlankIfPresent('admin.user')
  data?: string;
}

export class DeleteCommentDto {
  @ApiProperty({ description: 'Comment id' })
  @Required('admin.user')
  id: string;
}

export class CommentView {
  @ApiProperty() id: string;
  @ApiProperty() author_uid: string;
  @ApiProperty() title: string;
  @ApiProperty() data: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
