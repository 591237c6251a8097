import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Face, LoginRoute } from '../../core/faces/face.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field, SessionArgsDto } from '../common/dto.js';
import { inputOf } from '../common/input.js';
import { OtpsService } from './otps.service.js';

export class EmailOtpDto {
  @Field('E-mail address', 'jane@example.com') email?: unknown;
  @Field('Minutes the code lives (1…10, default 1)') expires_in?: unknown;
  @Field('login_or_create: a new user is pending until verified') requires_verification?: unknown;
  @Field('{ip, user_agent}') device_fingerprint?: unknown;
}

export class SmsOtpDto {
  @Field('E.164 phone number', '+14155550123') phone_number?: unknown;
  @Field('Minutes the code lives (1…10, default 1)') expires_in?: unknown;
  @Field('login_or_create: a new user is pending until verified') requires_verification?: unknown;
  @Field('{ip, user_agent}') device_fingerprint?: unknown;
}

export class OtpVerifyDto extends SessionArgsDto {
  @Field('email_… or pn_…') method_id?: unknown;
  @Field('The 6-digit code') otp?: unknown;
}

const SEND_ERRORS = { bad: '`invalid_email`, `invalid_phone_number`, `invalid_expiration`', notFound: '`email_not_found`, `phone_number_not_found` (send only)' };

@ApiTags('otps')
@Face('platform')
@Controller('v1/auth/otps')
export class OtpsController {
  constructor(private readonly otps: OtpsService) {}

  @Post('email/send')
  @HttpCode(200)
  @SbDoc("Mail a code to a user's e-mail (429 too_many_requests when over the limits)", { ok: '{email_id, user_id}', ...SEND_ERRORS })
  emailSend(@CallerApp() appId: string, @Body() body: EmailOtpDto): Promise<unknown> {
    return this.otps.send(appId, 'email', inputOf(body), false);
  }

  @Post('email/login_or_create')
  @HttpCode(200)
  @SbDoc('Mail a code, creating the user when the e-mail is new', { ok: '{user_id, user_created, status, email_id}', ...SEND_ERRORS })
  emailLoginOrCreate(@CallerApp() appId: string, @Body() body: EmailOtpDto): Promise<unknown> {
    return this.otps.send(appId, 'email', inputOf(body), true);
  }

  @Post('sms/send')
  @HttpCode(200)
  @SbDoc("Text a code to a user's phone number", { ok: '{phone_number_id, user_id}', ...SEND_ERRORS })
  smsSend(@CallerApp() appId: string, @Body() body: SmsOtpDto): Promise<unknown> {
    return this.otps.send(appId, 'sms', inputOf(body), false);
  }

  @Post('sms/login_or_create')
  @HttpCode(200)
  @SbDoc('Text a code, creating the user when the number is new', { ok: '{phone_number_id, user_created, status, user_id}', ...SEND_ERRORS })
  smsLoginOrCreate(@CallerApp() appId: string, @Body() body: SmsOtpDto): Promise<unknown> {
    return this.otps.send(appId, 'sms', inputOf(body), true);
  }

  @Post('verify')
  @HttpCode(200)
  @LoginRoute()
  @SbDoc('Check a code (once; dies after 5 wrong tries); with session_expires_in, opens or extends a session', {
    ok: '{method_id, method_type, user_id, session_token, session_jwt, session}',
    bad: '`invalid_method_id`, `invalid_session_duration`',
    notFound: '`otp_code_not_found`, `email_not_found`, `phone_number_not_found`, `session_not_found`',
    unauthorized: '`unable_to_auth_otp_code`',
  })
  verify(@CallerApp() appId: string, @Body() body: OtpVerifyDto): Promise<unknown> {
    return this.otps.verify(appId, inputOf(body));
  }
}
