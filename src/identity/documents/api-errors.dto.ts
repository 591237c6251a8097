import { ApiProperty } from '@nestjs/swagger';

/** Barong's error body: `{"errors": ["code", ...]}`. */
export class ErrorsDto {
  @ApiProperty({ type: [String], example: ['resource.documents.invalid_file_type'] })
  errors: string[];
}
