import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** The OpenAPI description of a /v1 route: its summary, its 200 and the error types it answers with. */
export function SbDoc(summary: string, opts: { ok?: string; bad?: string; notFound?: string; unauthorized?: string } = {}): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiOkResponse({ description: opts.ok ?? 'Success', schema: { type: 'object' } }),
    ApiBadRequestResponse({ description: opts.bad ?? '`bad_request`' }),
    ApiUnauthorizedResponse({ description: opts.unauthorized ?? '`unauthorized_credentials`: missing, unknown, rotated or disabled secret key' }),
    ...(opts.notFound ? [ApiNotFoundResponse({ description: opts.notFound })] : []),
  );
}
