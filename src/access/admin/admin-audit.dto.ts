import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { AdminActivitiesQueryDto } from './admin-activities.dto.js';
import { OneOfParam } from './admin-params.js';

export class AdminActivitiesExportQueryDto extends OmitType(AdminActivitiesQueryDto, ['page', 'limit'] as const) {
  @ApiProperty({ enum: ['csv', 'ndjson'], description: 'CSV with a header line, or one JSON object per line' })
  @ValidateBy({ name: 'required', validator: { validate: (v: unknown) => v !== undefined && v !== '' } }, { message: 'admin.activity.missing_format' })
  @OneOfParam(['csv', 'ndjson'], 'admin.activity.invalid_format')
  format: 'csv' | 'ndjson';

  @ApiPropertyOptional({ enum: ['user', 'admin'], description: 'Only user or only admin activities (default: both)' })
  @OneOfParam(['user', 'admin'], 'admin.activity.invalid_category')
  category?: 'user' | 'admin';
}

export class AdminActivitiesVerifyQueryDto {
  @ApiPropertyOptional({ type: String, description: 'Start from the latest checkpoint at or before this chain position (default: the oldest kept checkpoint)' })
  @ValidateBy({ name: 'seqParam', validator: { validate: (v: unknown) => v === undefined || (typeof v === 'string' && /^\d{1,18}$/.test(v)) } }, { message: 'admin.activity.non_integer_from_seq' })
  from_seq?: string;
}

export class InvalidEntryDto {
  @ApiProperty({ example: '1042', description: 'Chain position of the first bad entry (for `deleted`, the missing position)' }) seq: string;
  @ApiProperty({ type: String, nullable: true, description: 'The activity id, when a row is there to name' }) id: string | null;
  @ApiProperty({ enum: ['altered', 'inserted', 'deleted', 'checkpoint_altered', 'head_altered'] }) reason: string;
}

export class ChainVerificationDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Entries whose hash was recomputed and matched' }) checked: number;
  @ApiProperty({ type: InvalidEntryDto, nullable: true }) first_invalid: InvalidEntryDto | null;
  @ApiProperty({ example: '0', description: 'Checkpoint the walk started from (0: the start of the chain)' }) from_seq: string;
  @ApiProperty({ example: '1043', description: 'The last sealed entry' }) head_seq: string;
  @ApiProperty({ description: 'Rows written but not sealed yet (sealed within seconds, not covered by this answer)' }) unsealed: number;
}
