import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '../../core/http/pagination.js';
import { IntegerParam, OneOfParam, StringParam } from './admin-params.js';

export class AdminActivitiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'session' }) @StringParam('admin.activity.non_string_topic') topic?: string;
  @ApiPropertyOptional({ example: 'login' }) @StringParam('admin.activity.non_string_action') action?: string;
  @ApiPropertyOptional({ description: 'uid of the acting user' }) @StringParam('admin.activity.non_string_uid') uid?: string;
  @ApiPropertyOptional({ description: 'e-mail of the acting user' }) @StringParam('admin.activity.non_string_email') email?: string;
  @ApiPropertyOptional({ description: 'uid of the user an admin action was about' })
  @StringParam('admin.activity.non_string_target_uid')
  target_uid?: string;

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive: only records from this time.' })
  @IntegerParam('admin.activity.non_integer_from')
  from?: number;

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive: only records up to this time.' })
  @IntegerParam('admin.activity.non_integer_to')
  to?: number;
}

export class AdminActivitiesAdminQueryDto extends AdminActivitiesQueryDto {
  @ApiPropertyOptional({ enum: ['created'], default: 'created', description: 'from/to apply to created_at (the only range)' })
  @OneOfParam(['created'], 'admin.activity.invalid_range')
  range?: 'created';
}

export class AdminMetricsQueryDto {
  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive: count activities from this time.' })
  @IntegerParam('admin.metrics.non_integer_created_from')
  created_from?: number;

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive: count activities up to this time.' })
  @IntegerParam('admin.metrics.non_integer_created_to')
  created_to?: number;
}
