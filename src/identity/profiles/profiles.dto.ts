import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../core/http/pagination.js';
import { Present } from '../../core/http/validation.js';
import { toBoolean } from '../../core/http/request-params.js';

/** The profile fields; each is optional and checked by the profile rules. */
export class ProfileFieldsDto {
  @ApiPropertyOptional({ description: 'First name: letters, digits, space, - and \'' })
  @IsOptional()
  first_name?: string;

  @ApiPropertyOptional({ description: 'Last name: letters, digits, space, - and \'' })
  @IsOptional()
  last_name?: string;

  @ApiPropertyOptional({ description: 'Date of birth, YYYY-MM-DD, not in the future', example: '1990-05-12' })
  @IsOptional()
  dob?: string;

  @ApiPropertyOptional()
  @IsOptional()
  address?: string;

  @ApiPropertyOptional()
  @IsOptional()
  postcode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  city?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 or alpha-3 code', example: 'UA' })
  @IsOptional()
  country?: string;

  @ApiPropertyOptional({ description: 'Any additional key/value pairs as a JSON string', example: '{"nationality":"UA"}' })
  @IsOptional()
  metadata?: string;
}

export class UserProfileDto extends ProfileFieldsDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true submits the profile for review' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'resource.profile.non_boolean_confirm' })
  confirm: boolean = false;
}

export class AdminCreateProfileDto extends ProfileFieldsDto {
  @ApiProperty({ description: 'uid of the profile owner' })
  @Present('admin.profile')
  uid: string;
}

export class AdminDecideProfileDto {
  @ApiProperty({ description: 'uid of the profile owner' })
  @Present('admin.profile')
  uid: string;

  @ApiProperty({ enum: ['verified', 'rejected'] })
  @Present('admin.profile')
  state: string;
}

export class AdminProfilesQueryDto extends PageQueryDto {}
