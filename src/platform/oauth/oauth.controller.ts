import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../core/auth/decorators.js';
import { Face, LoginRoute } from '../../core/faces/face.js';
import { AppKeyLookup } from '../apps/app-key.resolvers.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field, SessionArgsDto } from '../common/dto.js';
import { unauthorized } from '../common/errors.js';
import { inputOf, optBool } from '../common/input.js';
import { type OauthProviderName, OauthService } from './oauth.service.js';

export class OauthBeginQueryDto {
  @Field("The app's public token (pk_…)") public_token?: unknown;
  @Field('true: answer 302 with Location (and the JSON body)') redirect?: unknown;
  @Field('Where an existing user lands (on the allow-list)') login_redirect_url?: unknown;
  @Field('Where a new user lands (on the allow-list)') registration_redirect_url?: unknown;
}

export class OauthVerifyDto extends SessionArgsDto {
  @Field('The token the login/registration redirect carried') token?: unknown;
  @Field('session (default) or idp (no session)') session_type?: unknown;
}

const BEGIN_DOC = {
  ok: '{redirect_url}',
  bad: '`invalid_redirect_url`',
  notFound: '`oauth_config_not_found` (provider not configured)',
  unauthorized: '`unauthorized_credentials` (no or bad public_token)',
};

@ApiTags('oauth')
@Face('platform')
@Controller('v1/auth/oauth')
export class OauthController {
  constructor(
    private readonly oauth: OauthService,
    private readonly lookup: AppKeyLookup,
  ) {}

  private async begin(provider: OauthProviderName, req: FastifyRequest, reply: FastifyReply, query: OauthBeginQueryDto): Promise<unknown> {
    const appId = await this.lookup.fromRequest(req, false);
    if (!appId) throw unauthorized('unauthorized_credentials', 'public_token is required');
    const input = inputOf(query);
    const redirectUrl = await this.oauth.begin(appId, provider, input);
    if (optBool(input, 'redirect')) void reply.status(302).header('location', redirectUrl);
    return { redirect_url: redirectUrl };
  }

  @Get('google/begin')
  @Public()
  @SbDoc('Start Google sign-in', BEGIN_DOC)
  google(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() q: OauthBeginQueryDto): Promise<unknown> {
    return this.begin('google', req, reply, q);
  }

  @Get('apple/begin')
  @Public()
  @SbDoc('Start Apple sign-in', BEGIN_DOC)
  apple(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() q: OauthBeginQueryDto): Promise<unknown> {
    return this.begin('apple', req, reply, q);
  }

  @Get('microsoft/begin')
  @Public()
  @SbDoc('Start Microsoft sign-in', BEGIN_DOC)
  microsoft(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() q: OauthBeginQueryDto): Promise<unknown> {
    return this.begin('microsoft', req, reply, q);
  }

  @Get('discord/begin')
  @Public()
  @SbDoc('Start Discord sign-in', BEGIN_DOC)
  discord(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() q: OauthBeginQueryDto): Promise<unknown> {
    return this.begin('discord', req, reply, q);
  }

  @Get('github/begin')
  @Public()
  @SbDoc('Start GitHub sign-in', BEGIN_DOC)
  github(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() q: OauthBeginQueryDto): Promise<unknown> {
    return this.begin('github', req, reply, q);
  }

  @Post('verify')
  @HttpCode(200)
  @LoginRoute()
  @SbDoc('Redeem the OAuth token (once); opens a session unless session_type is idp', {
    ok: '{provider_subject, provider, user_id, idp_session, session, session_token, session_jwt}',
    notFound: '`oauth_token_not_found`',
  })
  verify(@CallerApp() appId: string, @Body() body: OauthVerifyDto): Promise<unknown> {
    return this.oauth.verify(appId, inputOf(body));
  }
}
