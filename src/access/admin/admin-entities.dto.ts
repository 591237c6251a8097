import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Barong `User` (admin lists, write answers): no timestamps. */
export class AdminUserDto {
  @ApiProperty({ example: 'admin@barong.io' }) email: string;
  @ApiProperty({ example: 'ID1A2B3C4D5E' }) uid: string;
  @ApiProperty({ example: 'member' }) role: string;
  @ApiProperty({ example: 1 }) level: number;
  @ApiProperty({ description: 'is 2FA enabled for account' }) otp: boolean;
  @ApiProperty({ example: 'active' }) state: string;
  @ApiProperty({ type: String, nullable: true, description: 'UID of referrer' }) referral_uid: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'additional phone and profile info (JSON string)' }) data: string | null;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
}

export class AdminProfileDto {
  @ApiPropertyOptional() first_name?: string;
  @ApiPropertyOptional() last_name?: string;
  @ApiPropertyOptional() dob?: string;
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional() postcode?: string;
  @ApiPropertyOptional() city?: string;
  @ApiPropertyOptional() country?: string;
  @ApiPropertyOptional() state?: string;
  @ApiPropertyOptional({ description: 'Profile additional fields' }) metadata?: string;
  @ApiPropertyOptional() created_at?: string;
  @ApiPropertyOptional() updated_at?: string;
}

/** Barong `UserWithProfile` (`extended=true`). */
export class AdminUserWithProfileDto extends AdminUserDto {
  @ApiProperty({ type: [AdminProfileDto] }) profiles: AdminProfileDto[];
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) updated_at: string;
}

export class AdminLabelViewDto {
  @ApiProperty() key: string;
  @ApiProperty() value: string;
  @ApiProperty({ enum: ['public', 'private'] }) scope: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

/** Barong `UserWithKYC` (`GET users/:uid`): unmasked profiles, labels with descriptions, phones, documents, data storages, comments. */
export class AdminUserWithKycDto extends AdminUserWithProfileDto {
  @ApiProperty({ type: [AdminLabelViewDto] }) labels: AdminLabelViewDto[];
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { country: { type: 'string' }, number: { type: 'string' }, validated_at: { type: 'string' } } } })
  phones: Record<string, unknown>[];
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: {
        upload: { type: 'string' },
        doc_type: { type: 'string' },
        doc_number: { type: 'string' },
        doc_expire: { type: 'string' },
        metadata: { type: 'string' },
        created_at: { type: 'string' },
        updated_at: { type: 'string' },
      },
    },
  })
  documents: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { title: { type: 'string' }, data: { type: 'string' }, created_at: { type: 'string' }, updated_at: { type: 'string' } } } })
  data_storages: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  comments: Record<string, unknown>[];
}

/** Barong `Activity`. */
export class AdminActivityViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '203.0.113.7' }) user_ip: string;
  @ApiProperty({ type: String, nullable: true }) user_ip_country: string | null;
  @ApiProperty() user_agent: string;
  @ApiProperty({ example: 'session' }) topic: string;
  @ApiProperty({ example: 'login' }) action: string;
  @ApiProperty({ enum: ['succeed', 'failed', 'denied'] }) result: string;
  @ApiProperty({ type: String, nullable: true, description: 'JSON text' }) data: string | null;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) created_at: string;
}

/** Barong `ActivityWithUser` (`GET activities`). */
export class ActivityWithUserDto extends AdminActivityViewDto {
  @ApiProperty({ type: AdminUserDto, nullable: true }) user: AdminUserDto | null;
}

/** Barong `AdminActivity` (`GET activities/admin`): the actor as `admin`, the target user as `target`. */
export class AdminActivityDto extends AdminActivityViewDto {
  @ApiProperty({ type: AdminUserDto, nullable: true }) admin: AdminUserDto | null;
  @ApiProperty({ type: AdminUserDto, nullable: true }) target: AdminUserDto | null;
}

const dateCounts = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  example: { '2026-01-01': 12, '2026-01-02': 7 },
} as const;

export class AdminMetricsDto {
  @ApiProperty({ ...dateCounts, description: 'account/signup/succeed activities per UTC date' }) signups: Record<string, number>;
  @ApiProperty({ ...dateCounts, description: 'session/login/succeed activities per UTC date (Barong spelling)' }) sucessful_logins: Record<string, number>;
  @ApiProperty({ ...dateCounts, description: 'session/login/failed activities per UTC date' }) failed_logins: Record<string, number>;
  @ApiProperty({ description: 'number of private document:pending labels', example: 3 }) pending_applications: number;
}

export class AdminAbilitiesDto {
  @ApiPropertyOptional({ type: [String], example: ['Activity', 'Permission'] }) read?: string[];
  @ApiPropertyOptional({ type: [String], example: ['User', 'Label'] }) manage?: string[];
}
