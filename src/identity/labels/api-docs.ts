import { ApiProperty } from '@nestjs/swagger';

/** Barong's error body. */
export class ErrorsView {
  @ApiProperty({ type: [String], example: ['record.not_found'] })
  errors: string[];
}

/** Options for an error response: the codes it may carry, and the `{"errors": [...]}` schema. */
export const errorsDoc = (codes: string): { description: string; type: typeof ErrorsView } => ({ description: codes, type: ErrorsView });
