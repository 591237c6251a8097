import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorsDto } from '../../core/http/errors.dto.js';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { UsersService } from '../users/users.service.js';
import { PhoneDto, PhoneMessageDto, PhoneNumberDto, PhoneVerifyDto } from './phones.dto.js';
import { PhonesService } from './phones.service.js';
import { Face } from '../../core/faces/face.js';

/** Barong users text codes only once their e-mail is confirmed (fresh accounts cannot pump SMS). */
const BARONG_SEND_POLICY = { requireConfirmedEmail: true };
const GUARD_ERRORS = 'resource.phone.invalid_num, resource.phone.number_exist';

@ApiTags('resource')
@Face('barong')
@Controller('api/v2/barong/resource/phones')
export class ResourcePhonesController {
  constructor(
    private readonly phones: PhonesService,
    private readonly users: UsersService,
  ) {}

  private async user(principal: BarongPrincipal) {
    const user = await this.users.findById(principal.id);
    if (!user) throw AppError.unauthorized('authz.invalid_session');
    return user;
  }

  @Get()
  @ApiOkResponse({ type: PhoneDto, isArray: true, description: "The caller's phones (numbers masked)" })
  @ApiUnauthorizedResponse({ type: ErrorsDto, description: 'authz.invalid_session' })
  list(@CurrentUser() principal: BarongPrincipal): Promise<PhoneDto[]> {
    return this.phones.list(principal.id);
  }

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: PhoneMessageDto, description: 'Phone added and a 5-digit code sent by SMS' })
  @ApiBadRequestResponse({ type: ErrorsDto, description: `${GUARD_ERRORS}, resource.phone.exists, resource.phone.too_many_unverified` })
  @ApiForbiddenResponse({ type: ErrorsDto, description: 'resource.phone.email_not_confirmed' })
  @ApiTooManyRequestsResponse({ type: ErrorsDto, description: 'resource.phone.too_many_attempts (messages to the number capped per hour and day)' })
  @ApiUnprocessableEntityResponse({ type: ErrorsDto, description: 'resource.phone.missing_phone_number, resource.phone.empty_phone_number, resource.phone.invalid_channel' })
  async add(@CurrentUser() principal: BarongPrincipal, @Body() body: PhoneNumberDto, @Meta() meta: RequestMeta): Promise<PhoneMessageDto> {
    const channel = body.channel ?? 'sms';
    await this.phones.add(await this.user(principal), body.phone_number, channel, meta, BARONG_SEND_POLICY);
    return { message: `Code was sent successfully via ${channel}` };
  }

  @Post('send_code')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PhoneMessageDto, description: 'A fresh code sent by SMS' })
  @ApiBadRequestResponse({ type: ErrorsDto, description: `${GUARD_ERRORS}, resource.phone.code_sent_too_fast, resource.phone.too_many_retries` })
  @ApiNotFoundResponse({ type: ErrorsDto, description: 'resource.phone.doesnt_exist' })
  @ApiForbiddenResponse({ type: ErrorsDto, description: 'resource.phone.email_not_confirmed' })
  @ApiTooManyRequestsResponse({ type: ErrorsDto, description: 'resource.phone.too_many_attempts (messages to the number capped per hour and day)' })
  @ApiUnprocessableEntityResponse({ type: ErrorsDto, description: 'resource.phone.missing_phone_number, resource.phone.empty_phone_number, resource.phone.invalid_channel' })
  async sendCode(@CurrentUser() principal: BarongPrincipal, @Body() body: PhoneNumberDto): Promise<PhoneMessageDto> {
    await this.phones.resend(await this.user(principal), body.phone_number, BARONG_SEND_POLICY);
    return { message: `Code was sent successfully via ${body.channel ?? 'sms'}` };
  }

  @Post('verify')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Verified: validated_at set, private label phone:verified; UserWithFullInfo', schema: { type: 'object' } })
  @ApiBadRequestResponse({ type: ErrorsDto, description: `${GUARD_ERRORS}, resource.phone.too_many_retries` })
  @ApiNotFoundResponse({ type: ErrorsDto, description: 'resource.phone.doesnt_exist, resource.phone.verification_invalid' })
  @ApiUnprocessableEntityResponse({
    type: ErrorsDto,
    description: 'resource.phone.missing_phone_number, resource.phone.empty_phone_number, resource.phone.missing_verification_code, resource.phone.empty_verification_code',
  })
  async verify(@CurrentUser() principal: BarongPrincipal, @Body() body: PhoneVerifyDto, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.phones.verify(await this.user(principal), body.phone_number, body.verification_code, meta);
  }
}
