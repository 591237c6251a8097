import { Body, Controller, Get, HttpCode, Post, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Public } from '../../core/auth/decorators.js';
import { ConfigsDto, EntropyDto, PasswordValidateIdentityDto, PasswordValidatePublicDto, PingDto, TimeDto, VersionDto } from './general.dto.js';
import { GeneralService } from './general.service.js';
import { Face } from '../../core/faces/face.js';

/** Barong serves the same general endpoints under identity/ and public/; only the error prefix differs. */
function generalController(face: 'identity' | 'public', PasswordDto: Type<{ password: string }>): Type<unknown> {
  @ApiTags(face)
  @Public()
  @Face('barong')
  @Controller(`api/v2/barong/${face}`)
  class GeneralController {
    constructor(readonly general: GeneralService) {}

    @Get('ping')
    @ApiOkResponse({ type: PingDto, description: 'The service is up' })
    ping(): PingDto {
      return { ping: 'pong' };
    }

    @Get('time')
    @ApiOkResponse({ type: TimeDto, description: 'Server time' })
    time(): TimeDto {
      return { time: new Date().toISOString() };
    }

    @Get('version')
    @ApiOkResponse({ type: VersionDto, description: 'Version and build' })
    version(): VersionDto {
      return this.general.version() as unknown as VersionDto;
    }

    @Get('configs')
    @ApiOkResponse({ type: ConfigsDto, description: 'Settings a front end needs (session lifetime, captcha, password rules)' })
    configs(): ConfigsDto {
      return this.general.configs() as unknown as ConfigsDto;
    }

    @Post('password/validate')
    @HttpCode(201)
    @ApiCreatedResponse({ type: EntropyDto, description: 'The entropy of the password, as the registration check computes it' })
    @ApiUnprocessableEntityResponse({ description: `${face}.general.missing_password, ${face}.general.empty_password` })
    validate(@Body() body: { password: string }): EntropyDto {
      return { entropy: this.general.entropy(body.password) };
    }
  }
  // The body type must be the face's DTO for validation and Swagger; decorators cannot take it as a type parameter.
  Reflect.defineMetadata('design:paramtypes', [PasswordDto], GeneralController.prototype, 'validate');
  Object.defineProperty(GeneralController, 'name', { value: `${face[0]!.toUpperCase()}${face.slice(1)}GeneralController` });
  return GeneralController;
}

export const IdentityGeneralController = generalController('identity', PasswordValidateIdentityDto);
export const PublicGeneralController = generalController('public', PasswordValidatePublicDto);
