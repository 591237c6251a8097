import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { NotBlankIfPresent, Required } from '../../core/http/validation.js';
import type { Permission } from './permission.entity.js';

const PREFIX = 'admin.permission';

/** Verbs and actions the create endpoint accepts (case-insensitive), as Barong does. */
export const PERMISSION_VERBS = ['get', 'post', 'delete', 'put', 'head', 'patch', 'all'] as const;
export const PERMISSION_ACTIONS = ['accept', 'drop', 'audit'] as const;

/** Column widths of the permissions table. */
export const PERMISSION_LIMITS = { role: 64, verb: 16, path: 255, action: 16, topic: 64 } as const;

const absent = (v: unknown): boolean => v === undefined || v === null;
const blank = (v: unknown): boolean => absent(v) || (typeof v === 'string' && v.trim() === '');

/** Form bodies carry strings; JSON bodies may carry numbers: both become strings, other types stay and fail. */
const toText = ({ value }: { value: unknown }): unknown => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value);

/** A digit string or an integer becomes a number; anything else stays for the validators to refuse. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** When present, the value must be a string (`admin.permission.non_string_<x>`). */
function StringIfPresent(): PropertyDecorator {
  return (target, key) =>
    ValidateBy(
      { name: 'stringIfPresent', validator: { validate: (v: unknown) => absent(v) || typeof v === 'string' } },
      { message: `${PREFIX}.non_string_${String(key)}` },
    )(target, key);
}

/** When present, at most as long as its column (`<x>.too_long`, a model-style code). */
function FitsColumn(max: number): PropertyDecorator {
  return (target, key) =>
    ValidateBy(
      { name: 'fitsColumn', validator: { validate: (v: unknown) => typeof v !== 'string' || v.length <= max } },
      { message: `${String(key)}.too_long` },
    )(target, key);
}

/** When given and not blank, a positive integer (`admin.permission.non_integer_id`). */
function IntegerIfGiven(): PropertyDecorator {
  return (target, key) =>
    ValidateBy(
      {
        name: 'integerIfGiven',
        validator: { validate: (v: unknown) => blank(v) || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) },
      },
      { message: `${PREFIX}.non_integer_${String(key)}` },
    )(target, key);
}

export class CreatePermissionDto {
  @ApiProperty({ description: 'An existing role (one that already has a permission).', example: 'member' })
  @Transform(toText)
  @Required(PREFIX)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.role)
  role: string;

  @ApiProperty({ enum: PERMISSION_VERBS, description: 'HTTP verb or ALL, case-insensitive; stored upper-case.', example: 'get' })
  @Transform(toText)
  @Required(PREFIX)
  @StringIfPresent()
  verb: string;

  @ApiProperty({ description: 'Path prefix without the leading slash.', example: 'api/v2/barong/resource' })
  @Transform(toText)
  @Required(PREFIX)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.path)
  path: string;

  @ApiProperty({ enum: PERMISSION_ACTIONS, description: 'Case-insensitive; stored upper-case.', example: 'accept' })
  @Transform(toText)
  @Required(PREFIX)
  @StringIfPresent()
  action: string;

  @ApiPropertyOptional({ description: 'Activity topic for AUDIT rules.', example: 'users' })
  @Transform(toText)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.topic)
  topic?: string | null;
}

export class PermissionIdDto {
  @ApiProperty({ description: 'Permission id', example: 42 })
  @Transform(toInteger)
  @Required(PREFIX)
  @IntegerIfGiven()
  id: number;
}

export class UpdatePermissionDto extends PermissionIdDto {
  @ApiPropertyOptional({ example: 'member' })
  @Transform(toText)
  @NotBlankIfPresent(PREFIX)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.role)
  role?: string;

  @ApiPropertyOptional({ example: 'post', description: 'Stored upper-case; not checked against the verb list (as Barong).' })
  @Transform(toText)
  @NotBlankIfPresent(PREFIX)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.verb)
  verb?: string;

  @ApiPropertyOptional({ example: 'api/v2/barong/resource' })
  @Transform(toText)
  @NotBlankIfPresent(PREFIX)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.path)
  path?: string;

  @ApiPropertyOptional({ example: 'drop', description: 'Stored upper-case; not checked against the action list (as Barong).' })
  @Transform(toText)
  @NotBlankIfPresent(PREFIX)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.action)
  action?: string;

  @ApiPropertyOptional({ example: 'users', nullable: true })
  @Transform(toText)
  @StringIfPresent()
  @FitsColumn(PERMISSION_LIMITS.topic)
  topic?: string | null;
}

/** Barong's Permission entity. */
export class PermissionEntityDto {
  @ApiProperty({ example: 42 }) id: number;
  @ApiProperty({ example: 'member' }) role: string;
  @ApiProperty({ example: 'GET' }) verb: string;
  @ApiProperty({ example: 'api/v2/barong/resource' }) path: string;
  @ApiProperty({ example: 'ACCEPT', enum: ['ACCEPT', 'DROP', 'AUDIT'] }) action: string;
  @ApiProperty({ example: null, nullable: true, type: String }) topic: string | null;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) updated_at: string;
}

export function presentPermission(p: Permission): PermissionEntityDto {
  return {
    id: Number(p.id),
    role: p.role,
    verb: p.verb,
    path: p.path,
    action: p.action,
    topic: p.topic ?? null,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

const isText = (v: unknown, max: number): boolean => typeof v === 'string' && v.trim() !== '' && v.length <= max;
const isId = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const oneOf = (v: unknown, list: readonly string[]): boolean => typeof v === 'string' && list.includes(v.toLowerCase());

function validRule(v: unknown, requireAll: boolean): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  const check = (k: string, ok: (x: unknown) => boolean): boolean => (r[k] === undefined ? !requireAll : ok(r[k]));
  return (
    check('role', (x) => isText(x, PERMISSION_LIMITS.role)) &&
    check('verb', (x) => oneOf(x, PERMISSION_VERBS)) &&
    check('path', (x) => isText(x, PERMISSION_LIMITS.path)) &&
    check('action', (x) => oneOf(x, PERMISSION_ACTIONS)) &&
    (r.topic === undefined || r.topic === null || (typeof r.topic === 'string' && r.topic.length <= PERMISSION_LIMITS.topic))
  );
}

function ListOf(code: string, item: (v: unknown) => boolean): PropertyDecorator {
  return ValidateBy(
    { name: 'listOf', validator: { validate: (v: unknown) => v === undefined || (Array.isArray(v) && v.length <= 1000 && v.every(item)) } },
    { message: code },
  );
}

export class ExplainQueryDto {
  @ApiProperty({ example: 'member' })
  @Required(PREFIX)
  @StringIfPresent()
  role: string;

  @ApiProperty({ example: 'GET', description: 'HTTP verb' })
  @Required(PREFIX)
  @StringIfPresent()
  verb: string;

  @ApiProperty({ example: 'api/v2/barong/resource/users/me', description: 'Request path (a leading slash is ignored)' })
  @Required(PREFIX)
  @StringIfPresent()
  path: string;
}

export class ProposedRuleDto {
  @ApiPropertyOptional({ example: 'member' }) role: string;
  @ApiPropertyOptional({ enum: PERMISSION_VERBS, example: 'get' }) verb: string;
  @ApiPropertyOptional({ example: 'api/v2/barong/resource/api_keys' }) path: string;
  @ApiPropertyOptional({ enum: PERMISSION_ACTIONS, example: 'drop' }) action: string;
  @ApiPropertyOptional({ nullable: true, type: String }) topic?: string | null;
}

export class ChangedRuleDto extends ProposedRuleDto {
  @ApiProperty({ example: 42 }) id: number;
}

export class DryRunDto {
  @ApiPropertyOptional({ type: [ProposedRuleDto], description: 'Rows to add (role, verb, path, action required)' })
  @ListOf('admin.permissions.invalid_add', (v) => validRule(v, true))
  add?: ProposedRuleDto[];

  @ApiPropertyOptional({ type: [Number], description: 'Ids of rows to remove' })
  @ListOf('admin.permissions.invalid_remove', isId)
  remove?: number[];

  @ApiPropertyOptional({ type: [ChangedRuleDto], description: 'Rows to change: the id and the fields that change' })
  @ListOf('admin.permissions.invalid_change', (v) => validRule(v, false) && isId((v as { id?: unknown }).id))
  change?: ChangedRuleDto[];
}

export class ExplainedRuleDto {
  @ApiProperty({ type: Number, nullable: true }) id: number | null;
  @ApiProperty() role: string;
  @ApiProperty({ example: 'ALL' }) verb: string;
  @ApiProperty() path: string;
  @ApiProperty({ enum: ['ACCEPT', 'DROP', 'AUDIT'] }) action: string;
  @ApiProperty({ type: String, nullable: true }) topic: string | null;
  @ApiPropertyOptional({ enum: ['verb', 'path', 'verb_and_path'], description: 'Why the row did not match (unmatched rows only)' }) mismatch?: string;
}

export class ExplanationDto {
  @ApiProperty({ enum: ['allow', 'deny'] }) decision: 'allow' | 'deny';
  @ApiProperty({ enum: ['accept', 'drop', 'no_accept', 'no_candidates', 'unknown_role'] }) reason: string;
  @ApiProperty({ description: 'Allowed and an AUDIT row matched: the request is written to the admin activity log' }) audit: boolean;
  @ApiProperty({ type: String, nullable: true }) audit_topic: string | null;
  @ApiProperty({ type: [ExplainedRuleDto], description: 'The rows that matched (verb or ALL, path prefix), in table order' }) matched: ExplainedRuleDto[];
  @ApiProperty({ type: [ExplainedRuleDto], description: "The role's other rows and why each did not match" }) unmatched: ExplainedRuleDto[];
}

export class FlipDto {
  @ApiProperty() role: string;
  @ApiProperty({ example: 'GET' }) verb: string;
  @ApiProperty({ example: 'api/v2/barong/admin/users/:id', description: 'Route pattern (id-like segments as :id)' }) path: string;
  @ApiProperty({ description: 'A path requested under the pattern' }) sample_path: string;
  @ApiProperty({ enum: ['allow', 'deny'] }) from: string;
  @ApiProperty({ enum: ['allow', 'deny'] }) to: string;
  @ApiProperty({ description: 'Requests of the last 24 hours decided the other way' }) count: number;
}

export class DryRunResultDto {
  @ApiProperty({ type: [FlipDto] }) flips: FlipDto[];
  @ApiProperty({ description: 'Distinct (role, verb, route pattern) combinations seen in the last 24 hours' }) sampled: number;
}
