import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../../core/http/pagination.js';
import { NotBlankIfPresent, Required } from '../../../core/http/validation.js';

/** 9999-12-31T23:59:59Z, the last second PostgreSQL timestamps and ISO dates share. */
const MAX_EPOCH = 253_402_300_799;

export class UpdateMeDto {
  @ApiProperty({ description: 'Additional JSON data (string, at most 1024 characters)', example: '{"language":"en"}' })
  @Required('resource.user')
  @IsString({ message: 'data.invalid_format' })
  data: string;
}

export class DeleteMeDto {
  @ApiProperty()
  @Required('resource.user')
  @IsString({ message: 'resource.user.invalid_password' })
  password: string;

  @ApiPropertyOptional({ description: 'Required when 2FA is on' })
  @IsOptional()
  @IsString({ message: 'resource.user.invalid_otp' })
  otp_code?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @Required('resource.user')
  @IsString({ message: 'resource.password.prev_pass_not_correct' })
  old_password: string;

  @ApiProperty()
  @Required('resource.user')
  @IsString({ message: 'password.requirements' })
  new_password: string;

  @ApiProperty()
  @Required('resource.user')
  @IsString({ message: 'resource.password.doesnt_match' })
  confirm_password: string;
}

export class ActivityQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'From (epoch seconds, inclusive)' })
  @IsOptional()
  @NotBlankIfPresent('resource.user')
  @Type(() => Number)
  @IsInt({ message: 'resource.user.non_integer_time_from' })
  @Min(0, { message: 'resource.user.non_integer_time_from' })
  @Max(MAX_EPOCH, { message: 'resource.user.non_integer_time_from' })
  time_from?: number;

  @ApiPropertyOptional({ description: 'To (epoch seconds, inclusive)' })
  @IsOptional()
  @NotBlankIfPresent('resource.user')
  @Type(() => Number)
  @IsInt({ message: 'resource.user.non_integer_time_to' })
  @Min(0, { message: 'resource.user.non_integer_time_to' })
  @Max(MAX_EPOCH, { message: 'resource.user.non_integer_time_to' })
  time_to?: number;

  @ApiPropertyOptional({ enum: ['succeed', 'failed', 'denied'] })
  @IsOptional()
  @NotBlankIfPresent('resource.user')
  @IsString({ message: 'resource.user.non_string_result' })
  result?: string;
}
