import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../core/auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { SessionCookie } from '../sessions/session-cookie.js';
import { UserWithFullInfoDto } from '../users/dto/user-views.dto.js';
import { UserPresenter } from '../users/user-presenter.js';
import { Auth0ConfigDto, Auth0LoginDto } from './auth0.dto.js';
import { Auth0Service } from './auth0.service.js';
import { Face, LoginRoute } from '../../core/faces/face.js';

@ApiTags('identity')
@Public()
@Face('barong')
@Controller('api/v2/barong/identity/sessions')
export class Auth0SessionsController {
  constructor(
    private readonly auth0: Auth0Service,
    private readonly cookie: SessionCookie,
    private readonly presenter: UserPresenter,
  ) {}

  @Post('auth0')
  @LoginRoute()
  @HttpCode(201)
  @ApiOperation({ summary: 'Auth0 authentication by id_token; sets the session cookie' })
  @ApiCreatedResponse({ type: UserWithFullInfoDto, description: 'User authenticated (UserWithFullInfo with csrf_token)' })
  @ApiUnauthorizedResponse({
    description:
      'identity.session.auth0.invalid_params (no e-mail claim, or an unknown user whose e-mail is not verified), ' +
      'identity.session.banned, identity.session.deleted, identity.session.not_active, identity.session.missing_otp',
  })
  @ApiForbiddenResponse({ description: 'identity.session.invalid_otp' })
  @ApiTooManyRequestsResponse({ description: 'identity.session.too_many_attempts' })
  @ApiUnprocessableEntityResponse({
    description:
      'identity.session.missing_id_token, identity.session.empty_id_token, identity.session.auth0.invalid_params ' +
      '(token expired, bad signature, wrong issuer or audience, key set unreachable)',
  })
  async login(
    @Body() body: Auth0LoginDto,
    @Meta() meta: RequestMeta,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserWithFullInfoDto> {
    const { user, session } = await this.auth0.login({ idToken: body.id_token, otpCode: body.otp_code }, meta);
    await this.cookie.issue(req, reply, session);
    return (await this.presenter.fullInfo(user, session.csrfToken)) as unknown as UserWithFullInfoDto;
  }
}

@ApiTags('public')
@Public()
@Face('barong')
@Controller('api/v2/barong/public/configs')
export class Auth0ConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('auth0')
  @ApiOperation({ summary: 'Get auth0 configuration' })
  @ApiOkResponse({ type: Auth0ConfigDto, description: 'Get auth0 configuration' })
  configs(): Auth0ConfigDto {
    return { auth0_domain: this.config.auth0.domain ?? null, auth0_client_id: this.config.auth0.clientId ?? null };
  }
}
