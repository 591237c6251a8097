import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../core/auth/decorators.js';
import { BackgroundWork } from '../../core/background/background-work.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { CaptchaGate } from '../captcha/captcha.js';
import { SessionCookie } from '../sessions/session-cookie.js';
import { ConfirmEmailDto, ConfirmPasswordResetDto, EmailDto, RegisterDto } from './dto/identity-users.dto.js';
import { UserWithFullInfoDto } from './dto/user-views.dto.js';
import { PasswordResetService } from './password-reset.service.js';
import { RegistrationService, SignedIn } from './registration.service.js';
import { UserPresenter } from './user-presenter.js';
import { Face } from '../../core/faces/face.js';

@ApiTags('identity')
@Public()
@Face('barong')
@Controller('api/v2/barong/identity/users')
export class IdentityUsersController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly resets: PasswordResetService,
    private readonly cookie: SessionCookie,
    private readonly presenter: UserPresenter,
    private readonly captcha: CaptchaGate,
    private readonly background: BackgroundWork,
  ) {}

  private async signedIn(req: FastifyRequest, reply: FastifyReply, s: SignedIn): Promise<UserWithFullInfoDto> {
    await this.cookie.issue(req, reply, s.session);
    return (await this.presenter.fullInfo(s.user, s.session.csrfToken)) as unknown as UserWithFullInfoDto;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a user; the session opens at once and a confirmation mail goes out' })
  @ApiCreatedResponse({ type: UserWithFullInfoDto })
  @ApiUnprocessableEntityResponse({ description: 'identity.user.missing_email, email.invalid, email.taken, password.requirements, password.weak, username.*, data.*, identity.user.invalid_referral_format, identity.user.referral_doesnt_exist' })
  @ApiBadRequestResponse({ description: 'identity.captcha.required' })
  @ApiTooManyRequestsResponse({ description: 'identity.user.too_many_attempts (registrations per IP, without a captcha configured; mail to the address capped)' })
  async register(
    @Body() body: RegisterDto,
    @Meta() meta: RequestMeta,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserWithFullInfoDto> {
    await this.captcha.check('user_create', body.captcha_response, meta.ip);
    await this.registration.admitFrom(meta.ip, body.captcha_response);
    const signedIn = await this.registration.register(body, meta);
    return this.signedIn(req, reply, signedIn);
  }

  @Post('email/generate_code')
  @HttpCode(201)
  @ApiOperation({ summary: 'Send a new confirmation mail (always answers 201)' })
  @ApiCreatedResponse({ description: 'Empty body' })
  @ApiUnprocessableEntityResponse({ description: 'identity.user.missing_email, identity.user.empty_email' })
  async resendConfirmation(@Body() body: EmailDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.captcha.check('email_confirmation', body.captcha_response, meta.ip);
    // After the response: its timing must not tell whether the address has an account.
    this.background.run('confirmation mail', () => this.registration.resendConfirmation(body.email));
  }

  @Post('email/confirm_code')
  @HttpCode(201)
  @ApiOperation({ summary: 'Confirm the e-mail address with the mailed token; opens a session' })
  @ApiCreatedResponse({ type: UserWithFullInfoDto })
  @ApiUnprocessableEntityResponse({ description: 'identity.user.missing_token, identity.user.empty_token, jwt.decode_and_verify.invalid, jwt.decode_and_verify.expired, identity.user.utilized_token, identity.user.active_or_doesnt_exist' })
  async confirmEmail(
    @Body() body: ConfirmEmailDto,
    @Meta() meta: RequestMeta,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserWithFullInfoDto> {
    return this.signedIn(req, reply, await this.registration.confirmEmail(body.token, meta));
  }

  @Post('password/generate_code')
  @HttpCode(201)
  @ApiOperation({ summary: 'Mail a password reset token (always answers 201; unknown e-mails included)' })
  @ApiCreatedResponse({ description: 'Empty body' })
  @ApiUnprocessableEntityResponse({ description: 'identity.user.missing_email, identity.user.empty_email' })
  async requestReset(@Body() body: EmailDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.captcha.check('password_reset', body.captcha_response, meta.ip);
    this.background.run('password reset mail', () => this.resets.request(body.email, meta));
  }

  @Post('password/confirm_code')
  @HttpCode(201)
  @ApiOperation({ summary: 'Set a new password with the mailed token; ends every session of the user' })
  @ApiCreatedResponse({ description: 'Empty body' })
  @ApiUnprocessableEntityResponse({ description: 'identity.user.missing_pass_token, identity.user.empty_reset_password_token, identity.user.passwords_doesnt_match, identity.user.utilized_token, jwt.decode_and_verify.expired, jwt.decode_and_verify.invalid, password.requirements, password.weak' })
  async confirmReset(@Body() body: ConfirmPasswordResetDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.resets.confirm(body.reset_password_token, body.password, body.confirm_password, meta);
  }
}
