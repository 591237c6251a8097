import { ApiProperty } from '@nestjs/swagger';

/** Barong's error body: `{"errors": ["code", ...]}`. */
export class ErrorsDto {
  @ApiProperty({ type: [String], example: ['record.not_found'] })
  errors: string[];
}

/** Options for an error response: the codes it may carry, and the `{"errors": [...]}` schema. */
export const errorsDoc = (codes: string): { description: string; type: typeof ErrorsDto } => ({ description: codes, type: ErrorsDto });
