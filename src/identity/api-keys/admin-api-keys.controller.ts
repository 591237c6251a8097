import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { AdminApiKeyListQueryDto, ApiKeyDto } from './api-keys.dto.js';
import { ApiKeysService, presentApiKey } from './api-keys.service.js';
import { Face } from '../../core/faces/face.js';
import { RequiresAbility } from '../../core/auth/abilities.js';

@ApiTags('admin: api keys')
@Face('barong')
@Controller('api/v2/barong/admin/api_keys')
export class AdminApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @RequiresAbility('read', 'APIKey')
  @Get()
  @ApiOkResponse({ type: [ApiKeyDto], description: 'A user\'s API keys (Total/Page/Per-Page headers); needs ability read APIKey' })
  @ApiUnauthorizedResponse({ description: 'admin.ability.not_permitted, authz.invalid_session' })
  @ApiNotFoundResponse({ description: 'admin.user.doesnt_exist' })
  @ApiUnprocessableEntityResponse({ description: 'admin.apikey.missing_uid, admin.apikey.empty_uid, api_keys.ordering.invalid_ordering, api_keys.ordering.invalid_attribute, pagination codes' })
  async list(
    @CurrentUser() principal: BarongPrincipal,
    @Query() q: AdminApiKeyListQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>[]> {
    const page = await this.apiKeys.listForUserUid(principal.role, q.uid, { ordering: q.ordering, orderBy: q.order_by, page: q.page, limit: q.limit });
    setPageHeaders(req, reply, page);
    return page.items.map((k) => presentApiKey(k));
  }
}
