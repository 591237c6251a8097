import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, ValidateBy } from 'class-validator';
import { PageQueryDto } from '../../core/http/pagination.js';
import { NotBlankIfPresent, Required } from '../../core/http/validation.js';
import type { Restriction } from './restriction.entity.js';
import { CATEGORIES, DEFAULT_CODES, MAINTENANCE_CODE, SCOPES, STATES } from './restriction-rules.js';

const P = 'admin.restriction';

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Form values arrive as strings: whole numbers become numbers, anything else is left for the validators. */
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value) ? Number(value) : value;

/** Scalars become trimmed strings (JSON clients may send numbers). */
const toText = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value === 'string' ? value.trim() : value;

/** Blank or absent values are left to Required/NotBlankIfPresent; others must be one of `values`. */
function OneOfIfPresent(values: readonly string[], message: string): PropertyDecorator {
  return ValidateBy({ name: 'oneOfIfPresent', validator: { validate: (v: unknown) => isBlank(v) || values.includes(v as string) } }, { message });
}

/** Blank or absent values are left to Required/NotBlankIfPresent; others must be integers. */
function IntIfPresent(message: string, min = -Infinity, max = Infinity): PropertyDecorator {
  return ValidateBy(
    { name: 'intIfPresent', validator: { validate: (v: unknown) => isBlank(v) || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max) } },
    { message },
  );
}

function StringIfPresent(message: string): PropertyDecorator {
  return ValidateBy({ name: 'stringIfPresent', validator: { validate: (v: unknown) => isBlank(v) || typeof v === 'string' } }, { message });
}

const CODE_DESCRIPTION =
  `HTTP status of the refusal (400..599). Defaults: maintenance ${MAINTENANCE_CODE}, else by scope ` +
  Object.entries(DEFAULT_CODES).map(([s, c]) => `${s} ${c}`).join(', ') +
  '; a whitelist row always gets its default.';

const VALUE_DESCRIPTION =
  'ip: IPv4 or IPv6 address; ip_subnet: IPv4 or IPv6 CIDR; country: ISO 3166-1 alpha-2/alpha-3 code or English name; ' +
  'continent: AF AN AS EU NA OC SA or the English name; all: any text (conventionally "all")';

/** A restriction's optional `state`, as create and update take it (decorators listed bottom-up, as stacked). */
const StateParam = (doc: { default?: string } = {}): PropertyDecorator =>
  applyDecorators(OneOfIfPresent(STATES, `${P}.invalid_state`), NotBlankIfPresent(P), ApiPropertyOptional({ enum: STATES, ...doc }));

/** A restriction's optional status `code`. */
const CodeParam = (): PropertyDecorator =>
  applyDecorators(IntIfPresent(`${P}.non_integer_code`), NotBlankIfPresent(P), Transform(toInt), ApiPropertyOptional({ type: Number, description: CODE_DESCRIPTION }));

export class ListRestrictionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SCOPES })
  @IsOptional()
  @NotBlankIfPresent(P)
  @OneOfIfPresent(SCOPES, `${P}.invalid_scope`)
  scope?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @NotBlankIfPresent(P)
  @OneOfIfPresent(CATEGORIES, `${P}.invalid_category`)
  category?: string;

  @ApiPropertyOptional({ enum: ['created', 'updated'], default: 'created', description: 'Which timestamp from/to apply to' })
  @IsOptional()
  @OneOfIfPresent(['created', 'updated'], `${P}.invalid_range`)
  range?: string;

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive' })
  @IsOptional()
  @Transform(toInt)
  @IntIfPresent(`${P}.non_integer_from`)
  from?: number;

  @ApiPropertyOptional({ type: Number, description: 'Epoch seconds, inclusive' })
  @IsOptional()
  @Transform(toInt)
  @IntIfPresent(`${P}.non_integer_to`)
  to?: number;
}

export class CreateRestrictionDto {
  @ApiProperty({ enum: SCOPES })
  @Required(P)
  @OneOfIfPresent(SCOPES, `${P}.invalid_scope`)
  scope: string;

  @ApiProperty({ description: VALUE_DESCRIPTION, maxLength: 64 })
  @Transform(toText)
  @Required(P)
  @StringIfPresent('value.invalid')
  value: string;

  @ApiProperty({ enum: CATEGORIES })
  @Required(P)
  @OneOfIfPresent(CATEGORIES, `${P}.invalid_category`)
  category: string;

  @StateParam({ default: 'enabled' })
  state?: string;

  @CodeParam()
  code?: number;
}

export class RestrictionIdDto {
  @ApiProperty({ type: Number, description: 'Restriction id' })
  @Transform(toInt)
  @Required(P)
  @IntIfPresent(`${P}.non_integer_id`)
  id: number;
}

export class UpdateRestrictionDto extends RestrictionIdDto {
  @ApiPropertyOptional({ enum: SCOPES })
  @NotBlankIfPresent(P)
  @OneOfIfPresent(SCOPES, `${P}.invalid_scope`)
  scope?: string;

  @ApiPropertyOptional({ description: VALUE_DESCRIPTION, maxLength: 64 })
  @Transform(toText)
  @NotBlankIfPresent(P)
  @StringIfPresent('value.invalid')
  value?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @NotBlankIfPresent(P)
  @OneOfIfPresent(CATEGORIES, `${P}.invalid_category`)
  category?: string;

  @StateParam()
  state?: string;

  @CodeParam()
  code?: number;
}

export class CreateWhitelinkDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 30, default: 1, description: 'How many `range` units the link lives' })
  @Transform(toInt)
  @NotBlankIfPresent(P)
  @IntIfPresent('invalid_expire', 1, 30)
  expire_time?: number;

  @ApiPropertyOptional({ enum: ['day', 'hour'], default: 'day' })
  @NotBlankIfPresent(P)
  @OneOfIfPresent(['day', 'hour'], 'invalid_range')
  range?: string;
}

export class WhitelinkTokenDto {
  @ApiProperty({ description: '64 hex characters; send it to POST /api/v2/barong/identity/users/access', example: 'a3f1…' })
  whitelink_token: string;
}

export class RedeemWhitelinkDto {
  @ApiProperty({ description: 'Token from an admin whitelink' })
  @Transform(toText)
  @Required('identity.user')
  @IsString({ message: 'identity.user.access.invalid_token' })
  whitelink_token: string;
}

/** Barong's `Restriction` entity. */
export class RestrictionEntityDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: CATEGORIES }) category: string;
  @ApiProperty({ enum: SCOPES }) scope: string;
  @ApiProperty({ description: VALUE_DESCRIPTION }) value: string;
  @ApiProperty({ type: Number, nullable: true, description: CODE_DESCRIPTION }) code: number | null;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function presentRestriction(r: Restriction): RestrictionEntityDto {
  return {
    id: Number(r.id),
    category: r.category,
    scope: r.scope,
    value: r.value,
    code: r.code,
    state: r.state,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
