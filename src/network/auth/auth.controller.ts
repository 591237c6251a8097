import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { Face, LoginRoute } from '../../core/faces/face.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import {
  AuthNetworkResultDto,
  CodeCreateDto,
  CodeCreateResultDto,
  CodeLoginDto,
  CodeLoginResultDto,
  NetworkLoginDto,
  LoginResultDto,
  LoginWithPasswordDto,
  NetworkCheckDto,
  NetworkCheckResultDto,
  NetworkCreateDto,
  NetworkCreateResultDto,
  PasswordResetDto,
  PasswordSetDto,
  UserAuthResultDto,
  VerifyDto,
  VerifySendDto,
} from './auth.dto.js';
import { EmptyDto } from '../common/dto.js';
import { NetworkAuthService } from './network-auth.service.js';
import { NetworksService } from '../networks/networks.service.js';

@ApiTags('network auth')
@Face('network')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: NetworkAuthService,
    private readonly networks: NetworksService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'How a user_auth may sign in (never a JWT)' })
  @ApiOkResponse({ type: LoginResultDto })
  login(@Body() body: NetworkLoginDto): Promise<Record<string, unknown>> {
    return this.auth.login(body.user_auth, body.auth_jwt);
  }

  @Post('login-with-password')
  @HttpCode(200)
  @Public()
  @LoginRoute()
  @ApiOperation({ summary: 'Sign in with a password: the admin JWT, or verification_required' })
  @ApiOkResponse({ type: AuthNetworkResultDto })
  loginWithPassword(@Body() body: LoginWithPasswordDto, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.auth.loginWithPassword(body.user_auth ?? '', body.password ?? '', body.verify_otp_numeric ?? false, meta);
  }

  @Post('verify')
  @HttpCode(200)
  @Public()
  @LoginRoute()
  @ApiOperation({ summary: 'Verify the e-mail or phone with the sent code: the admin JWT' })
  @ApiOkResponse({ type: AuthNetworkResultDto })
  verify(@Body() body: VerifyDto, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.auth.verify(body.user_auth ?? '', body.verify_code ?? '', meta);
  }

  @Post('verify-send')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Send a new verification code' })
  @ApiOkResponse({ type: UserAuthResultDto })
  verifySend(@Body() body: VerifySendDto): Promise<Record<string, unknown>> {
    return this.auth.verifySend(body.user_auth ?? '', body.use_numeric ?? false);
  }

  @Post('password-reset')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Send a password reset code (the same answer for unknown users)' })
  @ApiOkResponse({ type: UserAuthResultDto })
  passwordReset(@Body() body: PasswordResetDto): Promise<Record<string, unknown>> {
    return this.auth.passwordReset(body.user_auth ?? '');
  }

  @Post('password-set')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Set a new password with the reset code; every session of the network ends' })
  @ApiOkResponse({ type: EmptyDto })
  passwordSet(@Body() body: PasswordSetDto, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.auth.passwordSet(body.reset_code ?? '', body.password ?? '', meta);
  }

  @Post('network-check')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Whether a network name is available' })
  @ApiOkResponse({ type: NetworkCheckResultDto })
  networkCheck(@Body() body: NetworkCheckDto): Promise<{ available: boolean }> {
    return this.auth.networkCheck(body.network_name ?? '');
  }

  @Post('network-create')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Create a network; a verification code is sent, no JWT until auth/verify' })
  @ApiOkResponse({ type: NetworkCreateResultDto })
  async networkCreate(@Body() body: NetworkCreateDto, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    const referralNetworkId = body.referral_code ? await this.networks.networkOfReferralCode(body.referral_code) : null;
    return this.auth.networkCreate(
      {
        userName: body.user_name,
        userAuth: body.user_auth,
        password: body.password,
        networkName: body.network_name,
        terms: body.terms,
        authJwt: body.auth_jwt,
        numeric: body.verify_use_numeric,
        referralNetworkId,
      },
      meta,
    );
  }

  @Post('code-create')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a limited-use auth code (admin JWT only)' })
  @ApiOkResponse({ type: CodeCreateResultDto })
  codeCreate(@Body() body: CodeCreateDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.auth.codeCreate(p, body.duration_minutes, body.uses, meta);
  }

  @Post('code-login')
  @HttpCode(200)
  @Public()
  @LoginRoute()
  @ApiOperation({ summary: 'Exchange an auth code for an admin JWT' })
  @ApiOkResponse({ type: CodeLoginResultDto })
  codeLogin(@Body() body: CodeLoginDto, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.auth.codeLogin(body.auth_code ?? '', meta);
  }
}
