import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An optional string field (missing is the zero value, as Go decodes it). */
export const Str = (description?: string, max = 4096): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: String, description }), IsOptional(), IsString({ message: 'invalid_string' }), MaxLength(max, { message: 'too_long' }));

/** A required string field. */
export const ReqStr = (description?: string, max = 4096): PropertyDecorator =>
  applyDecorators(ApiProperty({ type: String, description }), IsString({ message: 'invalid_string' }), MaxLength(max, { message: 'too_long' }));

/** An id: a hyphenated UUID, 36 characters; anything else is a 400. */
export const Id = (description?: string, required = false): PropertyDecorator =>
  applyDecorators(
    required ? ApiProperty({ type: String, format: 'uuid', description }) : ApiPropertyOptional({ type: String, format: 'uuid', description }),
    ...(required ? [] : [IsOptional()]),
    IsString({ message: 'invalid_id' }),
    Matches(UUID, { message: 'invalid_id' }),
  );

export const Bool = (description?: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: Boolean, description }), IsOptional(), IsBoolean({ message: 'invalid_bool' }));

export const Int = (description?: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: Number, description }), IsOptional(), IsInt({ message: 'invalid_int' }));

export const Num = (description?: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: Number, description }), IsOptional(), IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'invalid_number' }));

/** The business error body every response may carry instead of its fields. */
export class ErrorDetailDto {
  @ApiProperty() message: string;
}

/** `{}`: the answer of a change that has nothing to report. */
export class EmptyDto {
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}
