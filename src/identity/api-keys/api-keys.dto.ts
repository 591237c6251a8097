import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../core/http/pagination.js';
import { NotBlankIfPresent, Required } from '../../core/http/validation.js';
import { API_KEY_ORDER_COLUMNS } from './api-keys.service.js';

const ORDER_BY = Object.keys(API_KEY_ORDER_COLUMNS);
const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const asString = ({ value }: { value: unknown }): unknown => (typeof value === 'number' ? String(value) : value);
const SCOPE_DOC = 'Comma separated scopes (a JSON array is accepted too); empty means unrestricted';
const TOTP_DOC = 'Code from Google Authenticator';

export class ApiKeyDto {
  @ApiProperty({ description: 'Key id (16 hex characters), sent as X-Auth-Apikey', example: '5a2f0c8e9b1d3e47' }) kid: string;
  @ApiProperty({ description: 'Cryptographic hash function type', example: 'HS256' }) algorithm: string;
  @ApiProperty({ description: 'Scopes', type: [String], example: ['read_users'] }) scope: string[];
  @ApiProperty({ description: 'active or inactive', example: 'active' }) state: string;
  @ApiPropertyOptional({ description: 'The HMAC secret (32 hex characters): only in the create response', example: '0f4c2b...' })
  secret?: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class ApiKeyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @Transform(lower)
  @IsIn(['asc', 'desc'], { message: 'resource.api_key.invalid_ordering' })
  ordering?: string;

  @ApiPropertyOptional({ enum: ORDER_BY, default: 'id' })
  @IsOptional()
  @IsIn(ORDER_BY, { message: 'resource.api_key.invalid_attribute' })
  order_by?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ description: 'API key algorithm', enum: ['HS256'] })
  @Required('resource.apikey')
  algorithm: string;

  @ApiPropertyOptional({ description: SCOPE_DOC, type: String })
  @IsOptional()
  @NotBlankIfPresent('resource.apikey')
  scope?: string | string[];

  @ApiProperty({ description: TOTP_DOC })
  @Allow()
  @Transform(asString)
  totp_code: string;
}

export class UpdateApiKeyDto {
  @ApiPropertyOptional({ description: SCOPE_DOC, type: String })
  @IsOptional()
  @NotBlankIfPresent('resource.apikey')
  scope?: string | string[];

  @ApiPropertyOptional({ description: '"active" state means the key can be used for auth', enum: ['active', 'inactive'] })
  @IsOptional()
  @NotBlankIfPresent('resource.apikey')
  state?: string;

  @ApiProperty({ description: TOTP_DOC })
  @Allow()
  @Transform(asString)
  totp_code: string;
}

export class TotpQueryDto {
  @ApiProperty({ description: TOTP_DOC })
  @Allow()
  @Transform(asString)
  totp_code: string;
}

export class ServiceAccountKeyListQueryDto extends PageQueryDto {
  @ApiProperty()
  @Required('resource.service_account')
  service_account_uid: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @Transform(lower)
  @IsIn(['asc', 'desc'], { message: 'resource.service_accounts.invalid_ordering' })
  ordering?: string;

  @ApiPropertyOptional({ enum: ORDER_BY, default: 'id' })
  @IsOptional()
  @IsIn(ORDER_BY, { message: 'resource.service_accounts.invalid_attribute' })
  order_by?: string;
}

export class CreateServiceAccountKeyDto {
  @ApiProperty()
  @Required('resource.service_account')
  service_account_uid: string;

  @ApiProperty({ description: 'API key algorithm', enum: ['HS256'] })
  @Required('resource.service_account')
  algorithm: string;

  @ApiPropertyOptional({ description: SCOPE_DOC, type: String })
  @IsOptional()
  @NotBlankIfPresent('resource.service_account')
  scope?: string | string[];

  @ApiProperty({ description: TOTP_DOC })
  @Allow()
  @Transform(asString)
  totp_code: string;
}

export class UpdateServiceAccountKeyDto {
  @ApiProperty()
  @Required('resource.service_account')
  service_account_uid: string;

  @ApiPropertyOptional({ description: SCOPE_DOC, type: String })
  @IsOptional()
  @NotBlankIfPresent('resource.service_account')
  scope?: string | string[];

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @IsOptional()
  @NotBlankIfPresent('resource.service_account')
  state?: string;

  @ApiProperty({ description: TOTP_DOC })
  @Allow()
  @Transform(asString)
  totp_code: string;
}

export class DeleteServiceAccountKeyQueryDto {
  @ApiProperty()
  @Required('resource.service_account')
  service_account_uid: string;

  @ApiProperty({ description: TOTP_DOC })
  @Allow()
  @Transform(asString)
  totp_code: string;
}

export class AdminApiKeyListQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'uid of the user whose keys to list' })
  @Required('admin.apikey')
  uid: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @Transform(lower)
  @IsIn(['asc', 'desc'], { message: 'api_keys.ordering.invalid_ordering' })
  ordering?: string;

  @ApiPropertyOptional({ enum: ORDER_BY, default: 'id' })
  @IsOptional()
  @IsIn(ORDER_BY, { message: 'api_keys.ordering.invalid_attribute' })
  order_by?: string;
}

export class ServiceAccountDto {
  @ApiProperty() email: string;
  @ApiProperty({ example: 'SI1A2B3C4D5E' }) uid: string;
  @ApiProperty({ example: 'service_account' }) role: string;
  @ApiProperty() level: number;
  @ApiProperty({ example: 'active' }) state: string;
  @ApiProperty({ description: 'The owner, as a User entity', type: 'object', additionalProperties: true, nullable: true })
  user: Record<string, unknown> | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
