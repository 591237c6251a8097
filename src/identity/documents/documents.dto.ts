import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../core/http/pagination.js';
import { NotBlankIfPresent, Present, Required } from '../../core/http/validation.js';

export const DOC_CATEGORIES = ['front_side', 'back_side', 'selfie'] as const;

/** Text fields of `POST resource/documents` (files are read from the multipart stream). */
export class DocumentUploadDto {
  @Required('resource.document')
  @IsString({ message: 'resource.document.missing_doc_type' })
  doc_type: string;

  @Required('resource.document')
  @IsString({ message: 'resource.document.missing_doc_number' })
  doc_number: string;

  @IsOptional()
  @IsString()
  doc_expire?: string;

  @IsOptional()
  @IsIn(DOC_CATEGORIES, { message: 'resource.documents.doc_category' })
  doc_category?: string;

  @IsOptional()
  @NotBlankIfPresent('resource.document')
  @IsString()
  identificator?: string;

  @IsOptional()
  @IsString()
  metadata?: string;
}

/** Text fields of `POST resource/addresses`. */
export class AddressUploadDto {
  @Required('resource.address')
  @IsString({ message: 'resource.address.missing_country' })
  country: string;

  @Required('resource.address')
  @IsString({ message: 'resource.address.missing_address' })
  address: string;

  @Present('resource.address')
  @IsString({ message: 'resource.address.missing_city' })
  city: string;

  @Present('resource.address')
  @IsString({ message: 'resource.address.missing_postcode' })
  postcode: string;
}

/** Swagger shape of the documents multipart form. */
export const DOCUMENT_FORM_SCHEMA = {
  type: 'object',
  required: ['doc_type', 'doc_number', 'upload[]'],
  properties: {
    doc_type: { type: 'string', example: 'Passport', description: "One of Barong's document_types" },
    doc_number: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9 -]+$' },
    'upload[]': { type: 'array', items: { type: 'string', format: 'binary' }, description: 'PNG, JPEG or PDF files (field `upload` also accepted)' },
    doc_expire: { type: 'string', format: 'date', description: 'YYYY-MM-DD; required when BARONG_REQUIRED_DOCS_EXPIRE=true' },
    doc_category: { type: 'string', enum: [...DOC_CATEGORIES] },
    identificator: { type: 'string', description: 'Groups files supplied together; random 32 hex when absent' },
    metadata: { type: 'string', description: 'JSON object as a string' },
  },
} as const;

export const ADDRESS_FORM_SCHEMA = {
  type: 'object',
  required: ['country', 'address', 'city', 'postcode', 'upload[]'],
  properties: {
    country: { type: 'string' },
    address: { type: 'string' },
    city: { type: 'string' },
    postcode: { type: 'string' },
    'upload[]': { type: 'array', items: { type: 'string', format: 'binary' } },
  },
} as const;

export class DocumentUploadRefDto {
  @ApiProperty({ example: '/api/v2/barong/admin/documents/0190c6a2-7f7e-7d1c-9c1e-4b7f2d3e4a5b', description: 'Authenticated admin URL of the file' })
  url: string;

  @ApiProperty({ example: 'png', description: 'File type (extension of the detected content)' })
  type: string;
}

/** Barong's `Document` entity (3.0 form of `upload`). */
export class DocumentDto {
  @ApiProperty({ type: DocumentUploadRefDto })
  upload: DocumentUploadRefDto;

  @ApiProperty({ example: 'Passport' })
  doc_type: string;

  @ApiProperty({ example: 'AA****BB', nullable: true, description: 'Masked in user views (first and last 2 characters kept)' })
  doc_number: string | null;

  @ApiProperty({ example: '2030-01-31', nullable: true })
  doc_expire: string | null;

  @ApiProperty({ example: 'front_side', nullable: true })
  doc_category: string | null;

  @ApiProperty({ example: '3f0c1b0f6d1a4c7e9b2a5d8e1f4a7c0b' })
  identificator: string;

  @ApiProperty({ example: '{"issuer":"UA"}', nullable: true, description: 'JSON text' })
  metadata: string | null;

  @ApiProperty()
  created_at: string;

  @ApiProperty()
  updated_at: string;
}

const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** Filters of `GET admin/users/documents/pending` (Barong's admin user filters). */
export class PendingDocumentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_uid' })
  uid?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_email' })
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_role' })
  role?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'admin.user.non_integer_level' })
  level?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_state' })
  state?: string;

  @ApiPropertyOptional({ description: "Country of one of the user's profiles" })
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_country' })
  country?: string;

  @ApiPropertyOptional({ description: 'Profile names are sealed at rest, so a name filter matches nobody' })
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_first_name' })
  first_name?: string;

  @ApiPropertyOptional({ description: 'Profile names are sealed at rest, so a name filter matches nobody' })
  @IsOptional()
  @IsString({ message: 'admin.user.non_string_last_name' })
  last_name?: string;

  @ApiPropertyOptional({ enum: ['created', 'updated'], default: 'created' })
  @IsOptional()
  @IsIn(['created', 'updated'], { message: 'admin.user.invalid_range' })
  range?: 'created' | 'updated';

  @ApiPropertyOptional({ description: 'Epoch seconds, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'admin.user.non_integer_from' })
  from?: number;

  @ApiPropertyOptional({ description: 'Epoch seconds, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'admin.user.non_integer_to' })
  to?: number;

  @ApiPropertyOptional({ description: 'true: UserWithKYC entities' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'admin.user.non_boolean_extended' })
  extended?: boolean;
}
