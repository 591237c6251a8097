import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorsDto } from '../../core/http/errors.dto.js';
import { Public } from '../../core/auth/decorators.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { KycService, type KycCallbackResult } from './kyc.service.js';
import { Face } from '../../core/faces/face.js';

const KYC_PAYLOAD_SCHEMA = {
  type: 'object',
  required: ['type'],
  properties: {
    uid: { type: 'string', description: "The user's uid (or send it as applicant_id)" },
    applicant_id: { type: 'string', description: "External applicant id, set to the user's uid at the provider" },
    verification_id: { type: 'string' },
    type: { type: 'string', example: 'VERIFICATION_COMPLETED', description: 'Other types are acknowledged and ignored' },
    verified: { type: 'boolean' },
    verifications: {
      type: 'object',
      properties: {
        document: { type: 'object', properties: { verified: { type: 'boolean' } } },
        facial: { type: 'object', properties: { verified: { type: 'boolean' } } },
        address: { type: 'object', properties: { verified: { type: 'boolean' } } },
        profile: { type: 'object', properties: { verified: { type: 'boolean' } } },
      },
    },
  },
} as const;

@ApiTags('public')
@Public()
@Face('barong')
@Controller('api/v2/barong/public')
export class KycController {
  constructor(private readonly kyc: KycService) {}

  @Post('kyc')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Signature', required: true, description: 'hex HMAC-SHA256(KYC_WEBHOOK_SECRET, raw request body)' })
  @ApiBody({ schema: KYC_PAYLOAD_SCHEMA as never })
  @ApiOkResponse({
    description:
      'Sets the private labels document (verified only when document and facial are verified), address and profile ' +
      'to verified or rejected, for labels the user already has. A replayed body changes nothing.',
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['applied', 'ignored', 'duplicate'] }, labels: { type: 'object' } } },
  })
  @ApiUnauthorizedResponse({ type: ErrorsDto, description: 'public.kyc.invalid_signature' })
  @ApiNotFoundResponse({ type: ErrorsDto, description: 'public.kyc.applicant_doesnt_exist' })
  @ApiUnprocessableEntityResponse({ type: ErrorsDto, description: 'public.kyc.disabled (provider local or no KYC_WEBHOOK_SECRET), public.kyc.invalid_payload, public.kyc.missing_applicant_id' })
  async callback(
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Headers('x-signature') signature: string | undefined,
    @Meta() meta: RequestMeta,
  ): Promise<KycCallbackResult> {
    this.kyc.verifySignature(req.rawBody, signature);
    return this.kyc.handle(req.rawBody!, meta);
  }
}
