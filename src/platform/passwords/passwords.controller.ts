import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Face, LoginRoute } from '../../core/faces/face.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field, SessionArgsDto } from '../common/dto.js';
import { inputOf } from '../common/input.js';
import { PasswordsService } from './passwords.service.js';

export class PasswordDto {
  @Field('The password') password?: unknown;
}

export class PasswordVerifyDto extends SessionArgsDto {
  @Field('user_… (may be omitted with a session)') user_id?: unknown;
  @Field('The password') password?: unknown;
}

export class PasswordSessionUpdateDto {
  @Field('The new password (at least 8 characters)') password?: unknown;
  @Field('A session holding an OTP or password factor') session_token?: unknown;
  @Field('The same session, by JWT') session_jwt?: unknown;
}

@ApiTags('passwords')
@Face('platform')
@Controller('v1/auth/passwords')
export class PasswordsController {
  constructor(private readonly passwords: PasswordsService) {}

  @Post('strength_check')
  @HttpCode(200)
  @SbDoc('zxcvbn strength of a password', { ok: '{score, crack_time, crack_time_display, valid_password, feedback}' })
  strength(@CallerApp() _appId: string, @Body() body: PasswordDto): unknown {
    return this.passwords.strength(inputOf(body));
  }

  @Post('verify')
  @HttpCode(200)
  @LoginRoute()
  @SbDoc("Check a user's password; adds a password factor (429 after repeated failures)", {
    ok: '{session, session_token, session_jwt, user_id}',
    notFound: '`user_not_found`, `session_not_found`',
    unauthorized: '`unauthorized_credentials` (wrong password or none set)',
  })
  verify(@CallerApp() appId: string, @Body() body: PasswordVerifyDto): Promise<unknown> {
    return this.passwords.verify(appId, inputOf(body));
  }

  @Post('session/update')
  @HttpCode(200)
  @SbDoc("Set the session user's password (the session needs an OTP or password factor)", {
    ok: '{session, user_id, session_token, session_jwt}',
    bad: '`insufficient_factors`, `no_session_arguments`, `weak_password`',
    notFound: '`session_not_found`',
  })
  sessionUpdate(@CallerApp() appId: string, @Body() body: PasswordSessionUpdateDto): Promise<unknown> {
    return this.passwords.sessionUpdate(appId, inputOf(body));
  }
}
