import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Barong's `User` entity. */
export class UserDto {
  @ApiProperty({ example: 'john@example.com' }) email: string;
  @ApiProperty({ example: 'ID4F2A9C1B7E' }) uid: string;
  @ApiProperty({ example: 'member' }) role: string;
  @ApiProperty({ example: 1 }) level: number;
  @ApiProperty({ description: '2FA enabled' }) otp: boolean;
  @ApiProperty({ example: 'active', enum: ['pending', 'active', 'banned', 'deleted', 'locked'] }) state: string;
  @ApiPropertyOptional({ nullable: true, type: String }) referral_uid: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Additional JSON data (string)' }) data: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) username: string | null;
}

export class LabelViewDto {
  @ApiProperty() key: string;
  @ApiProperty() value: string;
  @ApiProperty({ enum: ['public', 'private'] }) scope: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class PhoneViewDto {
  @ApiProperty() country: string;
  @ApiProperty({ description: 'Masked number' }) number: string;
  @ApiPropertyOptional({ nullable: true, type: String }) validated_at: string | null;
}

export class ProfileViewDto {
  @ApiPropertyOptional() first_name?: string;
  @ApiPropertyOptional({ description: 'Masked for users' }) last_name?: string;
  @ApiPropertyOptional({ description: 'Masked for users' }) dob?: string;
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional() postcode?: string;
  @ApiPropertyOptional() city?: string;
  @ApiPropertyOptional() country?: string;
  @ApiProperty({ enum: ['drafted', 'submitted', 'verified', 'rejected'] }) state: string;
  @ApiPropertyOptional() metadata?: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class DataStorageViewDto {
  @ApiProperty() title: string;
  @ApiProperty() data: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

/** Barong's `UserWithFullInfo` (user-facing), with `csrf_token` right after a login. */
export class UserWithFullInfoDto extends UserDto {
  @ApiProperty({ type: [LabelViewDto] }) labels: LabelViewDto[];
  @ApiProperty({ type: [PhoneViewDto] }) phones: PhoneViewDto[];
  @ApiProperty({ type: [ProfileViewDto] }) profiles: ProfileViewDto[];
  @ApiProperty({ type: [DataStorageViewDto] }) data_storages: DataStorageViewDto[];
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiPropertyOptional({ description: 'Send as X-CSRF-Token on cookie-authenticated writes', example: 'e3b0c44298fc1c149afb' })
  csrf_token?: string;
}

/** Barong's `Activity` entity. */
export class ActivityDto {
  @ApiProperty() id: string;
  @ApiProperty() user_ip: string;
  @ApiPropertyOptional({ nullable: true, type: String }) user_ip_country: string | null;
  @ApiProperty() user_agent: string;
  @ApiProperty({ example: 'session' }) topic: string;
  @ApiProperty({ example: 'login' }) action: string;
  @ApiProperty({ enum: ['succeed', 'failed', 'denied'] }) result: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'JSON' }) data: string | null;
  @ApiProperty() created_at: string;
}
