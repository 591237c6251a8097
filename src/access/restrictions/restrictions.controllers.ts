import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, SelfAudited, Public } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { RequiresAbility } from '../../core/auth/abilities.js';
import {
  CreateRestrictionDto,
  CreateWhitelinkDto,
  ListRestrictionsQueryDto,
  presentRestriction,
  RedeemWhitelinkDto,
  RestrictionEntityDto,
  RestrictionIdDto,
  UpdateRestrictionDto,
  WhitelinkTokenDto,
} from './restrictions.dto.js';
import { RestrictionsService } from './restrictions.service.js';
import { Face } from '../../core/faces/face.js';

const DENIED = 'authz.invalid_permission (permissions table), admin.ability.not_permitted (no Restriction ability)';
const WRITE_ERRORS =
  'admin.restriction.invalid_scope, admin.restriction.invalid_category, admin.restriction.invalid_state, ' +
  'admin.restriction.non_integer_code, admin.restriction.empty_<field>, value.invalid, value.too_long, value.taken, code.invalid';


/** The declared params that were actually sent (the activity's data). */
function sent(params: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}

@ApiTags('admin')
@ApiUnauthorizedResponse({ description: DENIED })
@Face('barong')
@Controller('api/v2/barong/admin/restrictions')
export class AdminRestrictionsController {
  constructor(private readonly restrictions: RestrictionsService) {}

  @RequiresAbility('read', 'Restriction')
  @Get()
  @ApiOperation({ summary: 'Returns array of restrictions as a paginated collection' })
  @ApiOkResponse({ type: RestrictionEntityDto, isArray: true, description: 'Headers Total, Page, Per-Page, Link' })
  @ApiUnprocessableEntityResponse({
    description:
      'admin.restriction.invalid_scope, admin.restriction.invalid_category, admin.restriction.invalid_range, ' +
      'admin.restriction.empty_scope, admin.restriction.empty_category, admin.restriction.non_integer_from, ' +
      'admin.restriction.non_integer_to, non_integer_page, non_positive_page, non_integer_limit, invalid_limit',
  })
  async list(
    @Query() q: ListRestrictionsQueryDto,
    @CurrentUser() principal: BarongPrincipal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RestrictionEntityDto[]> {
    const [items, total] = await this.restrictions.list(q);
    setPageHeaders(req, reply, { total, page: q.page, limit: q.limit });
    return items.map(presentRestriction);
  }

  @RequiresAbility('create', 'Restriction')
  @Post()
  @HttpCode(200)
  @SelfAudited()
  @ApiOperation({ summary: 'Create restriction' })
  @ApiOkResponse({ type: RestrictionEntityDto, description: 'The created restriction' })
  @ApiUnprocessableEntityResponse({ description: `admin.restriction.missing_scope|value|category (with empty_*), ${WRITE_ERRORS}` })
  async create(@Body() body: CreateRestrictionDto, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<RestrictionEntityDto> {
    return presentRestriction(await this.restrictions.create(body, { principal, meta, params: sent(body) }));
  }

  @RequiresAbility('update', 'Restriction')
  @Put()
  @SelfAudited()
  @ApiOperation({ summary: 'Update restriction' })
  @ApiBody({ type: UpdateRestrictionDto })
  @ApiOkResponse({ type: RestrictionEntityDto, description: 'The updated restriction' })
  @ApiNotFoundResponse({ description: 'admin.restriction.doesnt_exist' })
  @ApiUnprocessableEntityResponse({ description: `admin.restriction.missing_id, admin.restriction.empty_id, admin.restriction.non_integer_id, ${WRITE_ERRORS}` })
  async update(
    @Body() params: UpdateRestrictionDto,
    @CurrentUser() principal: BarongPrincipal,
    @Meta() meta: RequestMeta,
  ): Promise<RestrictionEntityDto> {
    const { id, ...fields } = params;
    return presentRestriction(await this.restrictions.update(id, fields, { principal, meta, params: sent(params) }));
  }

  @RequiresAbility('destroy', 'Restriction')
  @Delete()
  @SelfAudited()
  @ApiOperation({ summary: 'Delete restriction' })
  @ApiQuery({ name: 'id', required: false, type: Number, description: 'Restriction id (query or body)' })
  @ApiBody({ type: RestrictionIdDto, required: false })
  @ApiOkResponse({ type: RestrictionEntityDto, description: 'The deleted restriction' })
  @ApiNotFoundResponse({ description: 'admin.restriction.doesnt_exist' })
  @ApiUnprocessableEntityResponse({ description: 'admin.restriction.missing_id, admin.restriction.empty_id, admin.restriction.non_integer_id' })
  async remove(
    @Body() params: RestrictionIdDto,
    @CurrentUser() principal: BarongPrincipal,
    @Meta() meta: RequestMeta,
  ): Promise<RestrictionEntityDto> {
    return presentRestriction(await this.restrictions.remove(params.id, { principal, meta, params: sent(params) }));
  }

  @RequiresAbility('create', 'Restriction')
  @Post('whitelink')
  @HttpCode(201)
  @SelfAudited()
  @ApiOperation({ summary: 'Create whitelink (a token that whitelists the IP of whoever redeems it, until it expires)' })
  @ApiCreatedResponse({ type: WhitelinkTokenDto })
  @ApiUnprocessableEntityResponse({ description: 'invalid_expire, invalid_range, admin.restriction.empty_expire_time, admin.restriction.empty_range' })
  async whitelink(@Body() body: CreateWhitelinkDto, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<WhitelinkTokenDto> {
    const expireTime = body.expire_time ?? 1;
    const range = (body.range ?? 'day') as 'day' | 'hour';
    const token = await this.restrictions.createWhitelink(expireTime, range, { principal, meta, params: { expire_time: expireTime, range } });
    return { whitelink_token: token };
  }
}

@ApiTags('identity')
@Face('barong')
@Controller('api/v2/barong/identity/users')
export class WhitelinkAccessController {
  constructor(private readonly restrictions: RestrictionsService) {}

  /** Not screened by restrictions (so a blacklisted IP can whitelist itself with a valid link). */
  @Post('access')
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'Creates new whitelist restriction for the caller IP' })
  @ApiCreatedResponse({ description: 'Whitelist restriction was created (empty body)' })
  @ApiUnprocessableEntityResponse({
    description: 'identity.user.missing_whitelink_token, identity.user.empty_whitelink_token, identity.user.access.invalid_token, value.taken',
  })
  async access(@Body() body: RedeemWhitelinkDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.restrictions.redeemWhitelink(body.whitelink_token, meta.ip);
  }
}
