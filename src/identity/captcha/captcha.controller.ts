import { Controller, Get, Header } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Public } from '../../core/auth/decorators.js';
import { GeetestRegisterDto } from './captcha.dto.js';
import { GeetestVerifier } from './captcha-verifiers.js';
import { Face } from '../../core/faces/face.js';

@ApiTags('identity')
@ApiExtraModels(GeetestRegisterDto)
@Public()
@Face('barong')
@Controller('api/v2/barong/identity/users')
export class CaptchaController {
  constructor(private readonly geetest: GeetestVerifier) {}

  @Get('register_geetest')
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'Register Geetest captcha' })
  @ApiOkResponse({
    description: 'Register Geetest captcha: `{gt, challenge}`, or an empty string when Geetest is not configured or unreachable',
    schema: { oneOf: [{ $ref: getSchemaPath(GeetestRegisterDto) }, { type: 'string', enum: [''] }] },
  })
  async registerGeetest(): Promise<string> {
    return JSON.stringify((await this.geetest.register()) ?? '');
  }
}
