import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Public } from '../../core/auth/decorators.js';
import { ConfigsDto, EntropyDto, PasswordValidateIdentityDto, PasswordValidatePublicDto, PingDto, TimeDto, VersionDto } from './general.dto.js';
import { GeneralService } from './general.service.js';

@ApiTags('identity')
@Public()
@Controller('api/v2/barong/identity')
export class IdentityGeneralController {
  constructor(private readonly general: GeneralService) {}

  @Get('ping')
  @ApiOkResponse({ type: PingDto })
  ping(): PingDto {
    return { ping: 'pong' };
  }

  @Get('time')
  @ApiOkResponse({ type: TimeDto })
  time(): TimeDto {
    return { time: new Date().toISOString() };
  }

  @Get('version')
  @ApiOkResponse({ type: VersionDto })
  version(): VersionDto {
    return this.general.version() as unknown as VersionDto;
  }

  @Get('configs')
  @ApiOkResponse({ type: ConfigsDto })
  configs(): ConfigsDto {
    return this.general.configs() as unknown as ConfigsDto;
  }

  @Post('password/validate')
  @HttpCode(201)
  @ApiCreatedResponse({ type: EntropyDto })
  @ApiUnprocessableEntityResponse({ description: 'identity.general.missing_password' })
  validate(@Body() body: PasswordValidateIdentityDto): EntropyDto {
    return { entropy: this.general.entropy(body.password) };
  }
}

@ApiTags('public')
@Public()
@Controller('api/v2/barong/public')
export class PublicGeneralController {
  constructor(private readonly general: GeneralService) {}

  @Get('ping')
  @ApiOkResponse({ type: PingDto })
  ping(): PingDto {
    return { ping: 'pong' };
  }

  @Get('time')
  @ApiOkResponse({ type: TimeDto })
  time(): TimeDto {
    return { time: new Date().toISOString() };
  }

  @Get('version')
  @ApiOkResponse({ type: VersionDto })
  version(): VersionDto {
    return this.general.version() as unknown as VersionDto;
  }

  @Get('configs')
  @ApiOkResponse({ type: ConfigsDto })
  configs(): ConfigsDto {
    return this.general.configs() as unknown as ConfigsDto;
  }

  @Post('password/validate')
  @HttpCode(201)
  @ApiCreatedResponse({ type: EntropyDto })
  @ApiUnprocessableEntityResponse({ description: 'public.general.missing_password' })
  validate(@Body() body: PasswordValidatePublicDto): EntropyDto {
    return { entropy: this.general.entropy(body.password) };
  }
}
