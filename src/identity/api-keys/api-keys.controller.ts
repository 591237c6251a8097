import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { userOnly } from '../otp/user-only.js';
import { ApiKeyDto, ApiKeyListQueryDto, CreateApiKeyDto, TotpQueryDto, UpdateApiKeyDto } from './api-keys.dto.js';
import { ApiKeysService, presentApiKey } from './api-keys.service.js';
import { TotpProtected } from './totp-gate.guard.js';
import { Face } from '../../core/faces/face.js';

const TOTP_400 = 'resource.api_key.2fa_disabled';
const TOTP_422 = 'resource.api_key.missing_totp, resource.api_key.invalid_totp';
const TOTP_429 = 'resource.api_key.too_many_attempts (5 wrong codes within 5 minutes)';

@ApiTags('resource: api keys')
@Face('barong')
@Controller('api/v2/barong/resource/api_keys')
@ApiUnauthorizedResponse({ description: 'authz.invalid_session (and the API-key authz.* codes)' })
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({ type: [ApiKeyDto], description: 'The caller\'s keys (Total/Page/Per-Page headers)' })
  @ApiUnprocessableEntityResponse({ description: 'resource.api_key.invalid_ordering, resource.api_key.invalid_attribute, non_integer_page, non_positive_page, non_integer_limit, invalid_limit' })
  async list(
    @CurrentPrincipal() principal: BarongPrincipal,
    @Query() q: ApiKeyListQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>[]> {
    const page = await this.apiKeys.listOwn(principal, { ordering: q.ordering, orderBy: q.order_by, page: q.page, limit: q.limit });
    setPageHeaders(req, reply, page);
    return page.items.map((k) => presentApiKey(k));
  }

  @Post()
  @HttpCode(201)
  @TotpProtected('resource.api_key')
  @ApiCreatedResponse({ type: ApiKeyDto, description: 'The new key; `secret` is returned here only' })
  @ApiBadRequestResponse({ description: TOTP_400 })
  @ApiUnprocessableEntityResponse({ description: `${TOTP_422}, resource.apikey.missing_algorithm, resource.apikey.empty_algorithm, resource.apikey.empty_scope, kid.blank + algorithm.inclusion (algorithm other than HS256), api_key.inactive_holder` })
  @ApiTooManyRequestsResponse({ description: TOTP_429 })
  async create(@CurrentPrincipal() principal: BarongPrincipal, @Body() body: CreateApiKeyDto): Promise<Record<string, unknown>> {
    const { key, secret } = await this.apiKeys.createOwn(userOnly(principal), { algorithm: body.algorithm, scope: body.scope }, body.totp_code);
    return presentApiKey(key, secret);
  }

  @Patch(':kid')
  @TotpProtected('resource.api_key')
  @ApiParam({ name: 'kid', description: 'API key kid' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiBadRequestResponse({ description: TOTP_400 })
  @ApiNotFoundResponse({ description: 'record.not_found' })
  @ApiUnprocessableEntityResponse({ description: `${TOTP_422}, resource.apikey.empty_scope, resource.apikey.empty_state, state.inclusion, api_key.inactive_holder` })
  @ApiTooManyRequestsResponse({ description: TOTP_429 })
  async update(@CurrentPrincipal() principal: BarongPrincipal, @Param('kid') kid: string, @Body() body: UpdateApiKeyDto): Promise<Record<string, unknown>> {
    return presentApiKey(await this.apiKeys.updateOwn(userOnly(principal), kid, { scope: body.scope, state: body.state }, body.totp_code));
  }

  @Delete(':kid')
  @HttpCode(204)
  @TotpProtected('resource.api_key')
  @ApiParam({ name: 'kid', description: 'API key kid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: TOTP_400 })
  @ApiNotFoundResponse({ description: 'record.not_found' })
  @ApiUnprocessableEntityResponse({ description: TOTP_422 })
  @ApiTooManyRequestsResponse({ description: TOTP_429 })
  async remove(
    @CurrentPrincipal() principal: BarongPrincipal,
    @Param('kid') kid: string,
    @Query() q: TotpQueryDto,
    @Body('totp_code') bodyCode?: unknown,
  ): Promise<void> {
    await this.apiKeys.removeOwn(userOnly(principal), kid, q.totp_code ?? bodyCode);
  }
}
