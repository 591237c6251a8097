import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NotBlankIfPresent, Required } from '../../core/http/validation.js';
import { PageQueryDto } from '../../core/http/pagination.js';
import { BooleanParam, ExactlyOneOf, IntegerParam, OneOfParam, StringParam } from './admin-params.js';

/** Columns `order_by` accepts: Barong's user attributes, minus the password digest. */
export const USER_ORDER_COLUMNS = {
  id: 'id',
  uid: 'uid',
  username: 'username',
  email: 'email',
  role: 'role',
  data: 'data',
  level: 'level',
  otp: 'otp',
  state: 'state',
  referral_id: 'referralId',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
} as const;
export type UserOrderColumn = keyof typeof USER_ORDER_COLUMNS;

export class AdminUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'When true endpoint returns full information about users (UserWithProfile)' })
  @BooleanParam('admin.user.non_boolean_extended')
  extended?: boolean;

  @ApiPropertyOptional() @StringParam('admin.user.non_string_uid') uid?: string;
  @ApiPropertyOptional({ description: 'exact e-mail (case-insensitive)' }) @StringParam('admin.user.non_string_email') email?: string;
  @ApiPropertyOptional() @StringParam('admin.user.non_string_role') role?: string;
  @ApiPropertyOptional({ description: 'profile first name' }) @StringParam('admin.user.non_string_first_name') first_name?: string;
  @ApiPropertyOptional({ description: 'profile last name' }) @StringParam('admin.user.non_string_last_name') last_name?: string;
  @ApiPropertyOptional({ description: 'profile country' }) @StringParam('admin.user.non_string_country') country?: string;
  @ApiPropertyOptional({ type: Number }) @IntegerParam('admin.user.non_integer_level') level?: number;
  @ApiPropertyOptional() @StringParam('admin.user.non_string_state') state?: string;

  @ApiPropertyOptional({ enum: ['created', 'updated'], default: 'created', description: 'which timestamp from/to apply to' })
  @OneOfParam(['created', 'updated'], 'admin.user.invalid_range')
  range?: 'created' | 'updated';

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive: only records from this time.' })
  @IntegerParam('admin.user.non_integer_from')
  from?: number;

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive: only records up to this time.' })
  @IntegerParam('admin.user.non_integer_to')
  to?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @OneOfParam(['asc', 'desc'], 'user.ordering.invalid_ordering')
  ordering?: 'asc' | 'desc';

  @ApiPropertyOptional({ enum: Object.keys(USER_ORDER_COLUMNS), default: 'id', description: 'user column to order by (ties broken by id)' })
  @OneOfParam(Object.keys(USER_ORDER_COLUMNS), 'user.ordering.invalid_attribute')
  order_by?: UserOrderColumn;
}

export class AdminUserUpdateDto {
  @ApiProperty({ description: 'user uniq id' })
  @Required('admin.user')
  @StringParam('admin.user.non_string_uid')
  uid: string;

  @ApiPropertyOptional({ description: 'user state' })
  @NotBlankIfPresent('admin.user')
  @StringParam('admin.user.non_string_state')
  state?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'user 2fa status (only false is accepted)' })
  @NotBlankIfPresent('admin.user')
  @BooleanParam('admin.user.non_boolean_otp')
  otp?: boolean;

  @ApiHideProperty()
  @ExactlyOneOf(['state', 'otp'], 'admin.user.one_of_state_otp')
  readonly exactly_one_of?: never;
}

export class AdminUserPutDto {
  @ApiProperty({ description: 'user uniq id' })
  @Required('admin.user')
  @StringParam('admin.user.non_string_uid')
  uid: string;

  @ApiPropertyOptional({ description: 'new e-mail (superadmin only)' })
  @NotBlankIfPresent('admin.user')
  @StringParam('admin.user.non_string_email')
  email?: string;

  @ApiPropertyOptional({ description: 'user state' })
  @NotBlankIfPresent('admin.user')
  @StringParam('admin.user.non_string_state')
  state?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'user 2fa status (only false is accepted)' })
  @NotBlankIfPresent('admin.user')
  @BooleanParam('admin.user.non_boolean_otp')
  otp?: boolean;

  @ApiHideProperty()
  @ExactlyOneOf(['state', 'otp', 'email'], 'admin.user.one_of_state_otp_email')
  readonly exactly_one_of?: never;
}

export class AdminUserRoleDto {
  @ApiProperty({ description: 'user uniq id' })
  @Required('admin.user')
  @StringParam('admin.user.non_string_uid')
  uid: string;

  @ApiProperty({ description: 'user role (one of the roles of the permissions table)' })
  @Required('admin.user')
  @StringParam('admin.user.non_string_role')
  role: string;
}
