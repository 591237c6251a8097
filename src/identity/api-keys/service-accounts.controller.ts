import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
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
import { ApiKeyDto, CreateServiceAccountKeyDto, DeleteServiceAccountKeyQueryDto, ServiceAccountDto, ServiceAccountKeyListQueryDto, UpdateServiceAccountKeyDto } from './api-keys.dto.js';
import { ApiKeysService, presentApiKey } from './api-keys.service.js';
import { ServiceAccountsService } from './service-accounts.service.js';
import { TotpProtected } from './totp-gate.guard.js';
import { Face } from '../../core/faces/face.js';

const TOTP_400 = 'resource.service_accounts.2fa_disabled';
const TOTP_422 = 'resource.service_accounts.missing_totp, resource.service_accounts.invalid_totp, resource.service_account.missing_service_account_uid, resource.service_account.empty_service_account_uid';
const TOTP_429 = 'resource.service_accounts.too_many_attempts (5 wrong codes within 5 minutes)';
const NOT_FOUND = 'resource.service_account.doesnt_exist (not the caller\'s), record.not_found (kid)';

@ApiTags('resource: service accounts')
@Face('barong')
@Controller('api/v2/barong/resource/service_accounts')
@ApiUnauthorizedResponse({ description: 'authz.invalid_session' })
export class ServiceAccountsController {
  constructor(
    private readonly accounts: ServiceAccountsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get()
  @ApiOkResponse({ type: [ServiceAccountDto], description: 'The caller\'s service accounts' })
  async list(@CurrentPrincipal() principal: BarongPrincipal): Promise<Record<string, unknown>[]> {
    return this.accounts.present(await this.accounts.listForOwner(userOnly(principal)));
  }

  @Get('api_keys')
  @ApiOkResponse({ type: [ApiKeyDto], description: 'Keys of one of the caller\'s service accounts (Total/Page/Per-Page headers)' })
  @ApiNotFoundResponse({ description: 'resource.service_account.doesnt_exist' })
  @ApiUnprocessableEntityResponse({ description: 'resource.service_account.missing_service_account_uid, resource.service_accounts.invalid_ordering, resource.service_accounts.invalid_attribute, pagination codes' })
  async listKeys(
    @CurrentPrincipal() principal: BarongPrincipal,
    @Query() q: ServiceAccountKeyListQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>[]> {
    const page = await this.apiKeys.listForAccount(userOnly(principal), q.service_account_uid, {
      ordering: q.ordering,
      orderBy: q.order_by,
      page: q.page,
      limit: q.limit,
    });
    setPageHeaders(req, reply, page);
    return page.items.map((k) => presentApiKey(k));
  }

  @Post('api_keys')
  @HttpCode(201)
  @TotpProtected('resource.service_accounts')
  @ApiCreatedResponse({ type: ApiKeyDto, description: 'The new key; `secret` is returned here only' })
  @ApiBadRequestResponse({ description: TOTP_400 })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiUnprocessableEntityResponse({ description: `${TOTP_422}, resource.service_account.missing_algorithm, kid.blank + algorithm.inclusion, api_key.inactive_holder` })
  @ApiTooManyRequestsResponse({ description: TOTP_429 })
  async createKey(@CurrentPrincipal() principal: BarongPrincipal, @Body() body: CreateServiceAccountKeyDto): Promise<Record<string, unknown>> {
    const { key, secret } = await this.apiKeys.createForAccount(
      userOnly(principal),
      body.service_account_uid,
      { algorithm: body.algorithm, scope: body.scope },
      body.totp_code,
    );
    return presentApiKey(key, secret);
  }

  @Put('api_keys/:kid')
  @TotpProtected('resource.service_accounts')
  @ApiParam({ name: 'kid', description: 'Service account key kid' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiBadRequestResponse({ description: TOTP_400 })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiUnprocessableEntityResponse({ description: `${TOTP_422}, state.inclusion, api_key.inactive_holder` })
  @ApiTooManyRequestsResponse({ description: TOTP_429 })
  async updateKey(
    @CurrentPrincipal() principal: BarongPrincipal,
    @Param('kid') kid: string,
    @Body() body: UpdateServiceAccountKeyDto,
  ): Promise<Record<string, unknown>> {
    const key = await this.apiKeys.updateForAccount(userOnly(principal), body.service_account_uid, kid, { scope: body.scope, state: body.state }, body.totp_code);
    return presentApiKey(key);
  }

  @Delete('api_keys/:kid')
  @HttpCode(204)
  @TotpProtected('resource.service_accounts')
  @ApiParam({ name: 'kid', description: 'Service account key kid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: TOTP_400 })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiUnprocessableEntityResponse({ description: TOTP_422 })
  @ApiTooManyRequestsResponse({ description: TOTP_429 })
  async removeKey(
    @CurrentPrincipal() principal: BarongPrincipal,
    @Param('kid') kid: string,
    @Query() q: DeleteServiceAccountKeyQueryDto,
    @Body('totp_code') bodyCode?: unknown,
  ): Promise<void> {
    await this.apiKeys.removeForAccount(userOnly(principal), q.service_account_uid, kid, q.totp_code ?? bodyCode);
  }
}
