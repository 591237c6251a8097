import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import { type BarongPrincipal, sessionIdOf } from '../../core/auth/principal.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { OtpCodeDto, OtpEnabledDto, OtpQrDto } from './otp.dto.js';
import { OtpService } from './otp.service.js';
import { userOnly } from './user-only.js';
import { Face } from '../../core/faces/face.js';

const CODE_ERRORS = 'resource.otp.missing_code, resource.otp.empty_code; resource.otp.invalid (wrong, replayed or unknown code)';
const TOO_MANY = 'resource.otp.too_many_attempts (5 wrong codes within 5 minutes)';

@ApiTags('resource: otp')
@Face('barong')
@Controller('api/v2/barong/resource/otp')
@ApiUnauthorizedResponse({ description: 'authz.invalid_session' })
export class OtpController {
  constructor(private readonly otp: OtpService) {}

  @Post('generate_qrcode')
  @HttpCode(201)
  @ApiCreatedResponse({ type: OtpQrDto, description: 'A new pending TOTP secret: otpauth URL and its QR code (replaces a pending one)' })
  @ApiBadRequestResponse({ description: 'resource.otp.already_enabled' })
  generateQrCode(@CurrentPrincipal() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<OtpQrDto> {
    return this.otp.generateQrCode(userOnly(principal), meta);
  }

  @Post('enable')
  @HttpCode(201)
  @ApiCreatedResponse({ type: OtpEnabledDto, description: '2FA enabled; other sessions ended' })
  @ApiBadRequestResponse({ description: 'resource.otp.already_enabled' })
  @ApiUnprocessableEntityResponse({ description: CODE_ERRORS })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async enable(@CurrentPrincipal() principal: BarongPrincipal, @Body() body: OtpCodeDto, @Meta() meta: RequestMeta): Promise<OtpEnabledDto> {
    return { recovery_codes: await this.otp.enable(userOnly(principal), body.code, meta, sessionIdOf(principal)) };
  }

  @Post('disable')
  @HttpCode(201)
  @ApiCreatedResponse({ description: '2FA disabled; API keys of the user and its service accounts deactivated. Empty body' })
  @ApiBadRequestResponse({ description: 'resource.otp.not_enabled' })
  @ApiUnprocessableEntityResponse({ description: CODE_ERRORS })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async disable(@CurrentPrincipal() principal: BarongPrincipal, @Body() body: OtpCodeDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.otp.disable(userOnly(principal), body.code, meta);
  }

  @Post('verify')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The code is valid. Empty body' })
  @ApiBadRequestResponse({ description: 'resource.otp.already_enabled (sic: answered when 2FA is off, as Barong does)' })
  @ApiUnprocessableEntityResponse({ description: CODE_ERRORS })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async verify(@CurrentPrincipal() principal: BarongPrincipal, @Body() body: OtpCodeDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.otp.verifyEndpoint(userOnly(principal), body.code, meta);
  }
}
