import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Face, LoginRoute } from '../../core/faces/face.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field, SessionArgsDto } from '../common/dto.js';
import { pid } from '../common/ids.js';
import { inputOf } from '../common/input.js';
import { TotpsService } from './totps.service.js';

export class TotpCreateDto {
  @Field('user_…') user_id?: unknown;
  @Field('Minutes to verify it in (5…2160, default 30)') expires_in?: unknown;
}

export class TotpVerifyDto extends SessionArgsDto {
  @Field('user_…') user_id?: unknown;
  @Field('The 6-digit code') totp?: unknown;
}

export class TotpRecoveryDto extends SessionArgsDto {
  @Field('user_…') user_id?: unknown;
  @Field('A recovery code (xxxxx-xxxxx)') recovery_code?: unknown;
  @Field('The same, as the Node SDK sends it') totp?: unknown;
}

export class TotpUserDto {
  @Field('user_…') user_id?: unknown;
}

@ApiTags('totps')
@Face('platform')
@Controller('v1/auth')
export class TotpsController {
  constructor(private readonly totps: TotpsService) {}

  @Post('totps/create')
  @HttpCode(200)
  @SbDoc('Create a TOTP: secret, otpauth QR (PNG data URL), 16 recovery codes', { ok: '{user_id, totp_id, secret, recovery_codes, qr_base64}', bad: '`invalid_expiration`', notFound: '`user_not_found`' })
  create(@CallerApp() appId: string, @Body() body: TotpCreateDto): Promise<unknown> {
    return this.totps.create(appId, inputOf(body));
  }

  @Post('totps/verify')
  @HttpCode(200)
  @LoginRoute()
  @SbDoc('Check a TOTP code (once per time step); adds a totp factor', {
    ok: '{totp_id, user_id, session_token, session_jwt, session}',
    notFound: '`totp_not_found`, `user_not_found`',
    unauthorized: '`unable_to_authenticate_totp`',
  })
  verify(@CallerApp() appId: string, @Body() body: TotpVerifyDto): Promise<unknown> {
    return this.totps.verify(appId, inputOf(body));
  }

  @Post('totps/recovery_codes')
  @HttpCode(200)
  @SbDoc("The unused recovery codes of a user's TOTPs", { ok: '{user_id, totps: [{id, verified, recovery_codes}]}', notFound: '`user_not_found`' })
  recoveryCodes(@CallerApp() appId: string, @Body() body: TotpUserDto): Promise<unknown> {
    return this.totps.recoveryCodes(appId, inputOf(body));
  }

  @Post('totps/recovery')
  @HttpCode(200)
  @LoginRoute()
  @SbDoc('Use a recovery code (once)', {
    ok: '{totp_id, user_id, session_token, session_jwt, session}',
    notFound: '`totp_not_found`',
    unauthorized: '`unable_to_authenticate_recovery_code`',
  })
  recovery(@CallerApp() appId: string, @Body() body: TotpRecoveryDto): Promise<unknown> {
    return this.totps.recovery(appId, inputOf(body));
  }

  @Delete('users/totps/:totp_id/delete')
  @SbDoc("Delete a user's TOTP", { ok: '{message, user_id}', notFound: '`totp_not_found`' })
  async remove(@CallerApp() appId: string, @Param('totp_id') id: string): Promise<unknown> {
    const userId = await this.totps.delete(appId, id);
    return { message: 'Successfully deleted user totp', user_id: pid('user', userId) };
  }
}
