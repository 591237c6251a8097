import { Body, Controller, Delete, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthedRequest, Public } from '../../core/auth/decorators.js';
import { sessionIdOf } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { CaptchaGate } from '../captcha/captcha.js';
import { LoginDto } from '../users/dto/identity-sessions.dto.js';
import { UserWithFullInfoDto } from '../users/dto/user-views.dto.js';
import { UserPresenter } from '../users/user-presenter.js';
import { LoginService } from './login.service.js';
import { SessionCookie } from './session-cookie.js';
import { Face, LoginRoute } from '../../core/faces/face.js';

@ApiTags('identity')
@Public()
@Face('barong')
@Controller('api/v2/barong/identity/sessions')
export class IdentitySessionsController {
  constructor(
    private readonly logins: LoginService,
    private readonly cookie: SessionCookie,
    private readonly presenter: UserPresenter,
    private readonly captcha: CaptchaGate,
  ) {}

  @Post()
  @LoginRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with e-mail and password (and otp_code when 2FA is on); sets the session cookie' })
  @ApiOkResponse({ type: UserWithFullInfoDto })
  @ApiUnauthorizedResponse({ description: 'identity.session.invalid_params, identity.session.banned, identity.session.deleted, identity.session.not_active, identity.session.missing_otp' })
  @ApiForbiddenResponse({ description: 'identity.session.invalid_otp' })
  @ApiTooManyRequestsResponse({ description: 'identity.session.too_many_attempts' })
  @ApiUnprocessableEntityResponse({ description: 'identity.session.missing_email, identity.session.missing_password' })
  async login(
    @Body() body: LoginDto,
    @Meta() meta: RequestMeta,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserWithFullInfoDto> {
    await this.captcha.check('session_create', body.captcha_response, meta.ip);
    const { user, session } = await this.logins.login({ email: body.email, password: body.password, otpCode: body.otp_code, captchaResponse: body.captcha_response }, meta);
    await this.cookie.issue(req, reply, session);
    return (await this.presenter.ownView(user.id, session.csrfToken, user)) as unknown as UserWithFullInfoDto;
  }

  @Delete()
  @LoginRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log out: ends the session of the cookie' })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiNotFoundResponse({ description: 'identity.session.not_found' })
  async logout(@Req() req: AuthedRequest, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const principal = req.principal;
    const sessionId = principal && sessionIdOf(principal);
    if (!principal || principal.kind !== 'user' || !sessionId) throw AppError.notFound('identity.session.not_found');
    await this.logins.logout(principal.id, sessionId, meta);
    this.cookie.clear(req, reply);
  }
}
