import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../core/auth/decorators.js';
import { Face } from '../../core/faces/face.js';
import { jsonText } from '../../core/http/json-text.js';
import { appIdFromPublic, TenantsService } from '../../identity/tenants/tenants.service.js';
import { AppKeyLookup } from '../apps/app-key.resolvers.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field } from '../common/dto.js';
import { notFound, unauthorized } from '../common/errors.js';
import { inputOf, optString } from '../common/input.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import { AppSigningKeysService } from './app-signing-keys.service.js';
import { PlatformSessionsService } from './platform-sessions.service.js';
import { sessionParamsOf } from './session-params.js';

export class SessionVerifyDto {
  @Field('The opaque session token') session_token?: unknown;
  @Field('A session JWT (accepted past exp while the session is live)') session_jwt?: unknown;
  @Field('Minutes (5…525600): new expiry from now') session_expires_in?: unknown;
}

export class SessionDeleteDto {
  @Field('The opaque session token') session_token?: unknown;
  @Field('A session JWT') session_jwt?: unknown;
  @Field('The session id (sess_…)') session_id?: unknown;
}

export class SessionListQueryDto {
  @Field('user_…') user_id?: unknown;
}

@ApiTags('sessions')
@Face('platform')
@Controller('v1/auth')
export class SessionsController {
  constructor(
    private readonly sessions: PlatformSessionsService,
    private readonly users: PlatformUsersService,
    private readonly keys: AppSigningKeysService,
    private readonly lookup: AppKeyLookup,
    private readonly tenants: TenantsService,
  ) {}

  @Get('sessions/list')
  @SbDoc('Live sessions of a user, newest first', { ok: '{sessions: [Session]}', notFound: '`user_not_found`', bad: '`invalid_user_id`' })
  async list(@CallerApp() appId: string, @Query() query: SessionListQueryDto, @Body() body?: unknown): Promise<unknown> {
    const input = inputOf(body, query);
    const user = await this.users.require(appId, input.user_id);
    return { sessions: await this.sessions.list(appId, user) };
  }

  @Post('sessions/list')
  @HttpCode(200)
  @SbDoc('Live sessions of a user (POST form of the list)', { ok: '{sessions: [Session]}', notFound: '`user_not_found`' })
  listPost(@CallerApp() appId: string, @Query() query: SessionListQueryDto, @Body() body?: SessionListQueryDto): Promise<unknown> {
    return this.list(appId, query, body);
  }

  @Post('sessions/verify')
  @HttpCode(200)
  @SbDoc('Verify a session by token or JWT; optionally extend it; returns a fresh JWT', {
    ok: '{session, session_token, session_jwt}',
    bad: '`no_session_arguments`, `too_many_session_arguments`, `invalid_session_duration`',
    notFound: '`session_not_found` (unknown, revoked or expired)',
  })
  async verify(@CallerApp() appId: string, @Body() body: SessionVerifyDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return jsonText(reply, await this.sessions.verifyJson(appId, sessionParamsOf(inputOf(body))));
  }

  @Delete('sessions/delete')
  @SbDoc('End a session (exactly one of session_token, session_jwt, session_id; body or query)', {
    ok: '{message}',
    bad: '`no_session_arguments`, `too_many_session_arguments`',
    notFound: '`session_not_found`',
  })
  async remove(@CallerApp() appId: string, @Body() body: SessionDeleteDto, @Query() query: SessionDeleteDto): Promise<unknown> {
    const input = inputOf(query, body);
    await this.sessions.revoke(appId, { token: optString(input, 'session_token'), jwt: optString(input, 'session_jwt'), id: optString(input, 'session_id') });
    return { message: 'Successfully deleted session' };
  }

  @Get('jwks/default')
  @Public()
  @SbDoc("The caller's app's session-JWT keys (secret key or public token: header, `api_key` or `public_token` query)", { ok: '{keys: [JWK]}' })
  async defaultJwks(@Req() req: FastifyRequest): Promise<unknown> {
    const appId = await this.lookup.fromRequest(req);
    if (!appId) throw unauthorized('unauthorized_credentials', 'Send the secret key or the public token');
    return this.keys.jwks(appId);
  }

  @Get('jwks/:app_id')
  @Public()
  @SbDoc("An app's session-JWT keys (no key needed)", { ok: '{keys: [JWK]}', notFound: '`app_not_found`' })
  async appJwks(@Param('app_id') publicAppId: string, @Req() req: FastifyRequest): Promise<unknown> {
    await this.lookup.fromRequest(req);
    const id = appIdFromPublic(publicAppId);
    const app = id ? await this.tenants.findById(id) : null;
    if (!app || app.status !== 'active' || !app.publicToken) throw notFound('app_not_found', `App ${publicAppId} not found`);
    return this.keys.jwks(app.id);
  }
}
