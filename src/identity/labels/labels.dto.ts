import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../core/http/pagination.js';
import { NotBlankIfPresent, Present, Required } from '../../core/http/validation.js';
import { toBoolean } from '../../core/http/request-params.js';

const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.toLowerCase() : value);

export class ListLabelsQueryDto {
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'Order by created_at' })
  @IsOptional()
  @Transform(lower)
  @IsIn(['asc', 'desc'], { message: 'resource.label.invalid_ordering' })
  ordering: 'asc' | 'desc' = 'asc';
}

export class CreateLabelDto {
  @ApiProperty({ description: 'Label key, 3-255 characters of [a-z0-9_-] (lower-cased)' })
  @Required('resource.label')
  @IsString({ message: 'key.invalid' })
  key: string;

  @ApiProperty({ description: 'Label value, 3-255 characters of [a-z0-9_-] (lower-cased)' })
  @Required('resource.label')
  @IsString({ message: 'value.invalid' })
  value: string;
}

export class UpdateLabelDto {
  @ApiProperty({ description: 'New value, 3-255 characters of [a-z0-9_-] (lower-cased)' })
  @Required('resource.label')
  @IsString({ message: 'value.invalid' })
  value: string;
}

export class AdminLabelUsersQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'Label key' })
  @Present('admin.user')
  key: string;

  @ApiProperty({ description: 'Label value' })
  @Present('admin.user')
  value: string;
}

export class AdminCreateLabelDto {
  @ApiProperty({ description: 'User uid' })
  @Required('admin.user')
  uid: string;

  @ApiProperty({ description: 'Label key, 3-255 characters of [a-z0-9_-]' })
  @Required('admin.user')
  key: string;

  @ApiProperty({ description: 'Label value, 3-255 characters of [a-z0-9_-]' })
  @Required('admin.user')
  value: string;

  @ApiPropertyOptional({ description: 'Free text about the label' })
  @IsOptional()
  @NotBlankIfPresent('admin.user')
  description?: string;

  @ApiPropertyOptional({ enum: ['public', 'private'], default: 'public' })
  @IsOptional()
  @NotBlankIfPresent('admin.user')
  scope?: string;
}

export class AdminUpdateLabelDto {
  @ApiProperty({ description: 'User uid' })
  @Required('admin.user')
  uid: string;

  @ApiProperty({ description: 'Label key' })
  @Required('admin.user')
  key: string;

  @ApiProperty({ enum: ['public', 'private'] })
  @Required('admin.user')
  scope: string;

  @ApiProperty({ description: 'New label value' })
  @Required('admin.user')
  value: string;

  @ApiPropertyOptional({ description: 'Free text about the label' })
  @IsOptional()
  @NotBlankIfPresent('admin.user')
  description?: string;
}

export class AdminUpsertLabelDto extends AdminUpdateLabelDto {
  @ApiPropertyOptional({ type: Boolean, default: true, description: 'When true the label is created if it does not exist' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'admin.user.non_boolean_replace' })
  replace: boolean = true;
}

export class AdminDeleteLabelDto {
  @ApiProperty({ description: 'User uid' })
  @Required('admin.user')
  uid: string;

  @ApiProperty({ description: 'Label key' })
  @Required('admin.user')
  key: string;

  @ApiProperty({ enum: ['public', 'private'] })
  @Required('admin.user')
  scope: string;
}
