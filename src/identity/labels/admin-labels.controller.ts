import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { errorsDoc } from '../../core/http/errors.dto.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { UserPresenter } from '../users/user-presenter.js';
import { AdminCreateLabelDto, AdminDeleteLabelDto, AdminLabelUsersQueryDto, AdminUpdateLabelDto, AdminUpsertLabelDto } from './labels.dto.js';
import { LabelsApiService } from './labels-api.service.js';
import { LabelsService } from './labels.service.js';
import { AdminLabelView, adminLabelView, LevelView, levelView } from './label-views.js';
import { Face } from '../../core/faces/face.js';

const SUPERADMIN = 'admin.user.superadmin_change (a superadmin changed by a non-superadmin)';

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/users/labels')
export class AdminLabelsController {
  constructor(
    private readonly labels: LabelsApiService,
    private readonly presenter: UserPresenter,
  ) {}

  @RequiresAbility('read', 'User')
  @Get('list')
  @ApiOkResponse({
    description: 'Private labels counted by (key, value)',
    schema: { type: 'object', additionalProperties: { type: 'integer' }, example: { '["email", "verified"]': 12 } },
  })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  counts(@CurrentUser() _person: BarongPrincipal): Promise<Record<string, number>> {
    return this.labels.privateCounts();
  }

  @RequiresAbility('read', 'User')
  @Get()
  @ApiOkResponse({ description: 'Users having the label (any scope), paginated; Barong `User` entity', schema: { type: 'array', items: { type: 'object' } } })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_key, admin.user.missing_value, non_integer_page, non_positive_page, non_integer_limit, invalid_limit'))
  async users(
    @CurrentUser() p: BarongPrincipal,
    @Query() q: AdminLabelUsersQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>[]> {
    const page = await this.labels.usersWithLabel(q.key, q.value, q.page, q.limit);
    setPageHeaders(req, reply, page);
    return this.presenter.basic(page.items);
  }

  @Post()
  @HttpCode(200)
  @SelfAudited()
  @ApiOkResponse({ type: AdminLabelView, description: 'The new label' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_uid, admin.user.empty_uid, admin.user.missing_key, admin.user.empty_key, admin.user.missing_value, ' +
      'admin.user.empty_value, admin.user.empty_scope, admin.user.empty_description, scope.inclusion, key.*, value.*, key.taken, ' +
      SUPERADMIN))
  @RequiresAbility('create', 'Label')
  async create(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: AdminCreateLabelDto): Promise<AdminLabelView> {
    return adminLabelView(await this.labels.adminCreate(body, { principal: p, meta, params: { ...body } }));
  }

  @RequiresAbility('update', 'Label')
  @Put()
  @SelfAudited()
  @ApiOkResponse({ type: AdminLabelView, description: 'The updated label' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist, admin.label.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_*|empty_* (uid, key, scope, value), scope.inclusion, value.*, ' + SUPERADMIN))
  async update(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: AdminUpdateLabelDto): Promise<AdminLabelView> {
    return adminLabelView(await this.labels.adminUpdate(body, { principal: p, meta, params: { ...body } }, { upsert: false, verb: 'PUT' }));
  }

  @RequiresAbility('update', 'Label')
  @Post('update')
  @HttpCode(200)
  @SelfAudited()
  @ApiOkResponse({ type: AdminLabelView, description: 'The created or updated label' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist, admin.label.doesnt_exist (replace=false and no such label)'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_*|empty_* (uid, key, scope, value), admin.user.non_boolean_replace, scope.inclusion, key.*, value.*, ' + SUPERADMIN))
  async upsert(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: AdminUpsertLabelDto): Promise<AdminLabelView> {
    const { replace, ...input } = body;
    return adminLabelView(await this.labels.adminUpdate(input, { principal: p, meta, params: { ...body } }, { upsert: replace, verb: 'POST' }));
  }

  @RequiresAbility('destroy', 'Label')
  @Delete()
  @HttpCode(200)
  @SelfAudited()
  @ApiQuery({ name: 'uid', required: true, description: 'User uid (query or body)' })
  @ApiQuery({ name: 'key', required: true, description: 'Label key' })
  @ApiQuery({ name: 'scope', required: true, enum: ['public', 'private'] })
  @ApiOkResponse({ description: 'Deleted (empty body)' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist, admin.label.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_*|empty_* (uid, key, scope), ' + SUPERADMIN))
  async remove(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() params: AdminDeleteLabelDto): Promise<void> {
    await this.labels.adminDelete(params, { principal: p, meta, params: { ...params } });
  }
}

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/levels')
export class AdminLevelsController {
  constructor(private readonly labels: LabelsService) {}

  @RequiresAbility('read', 'Level')
  @Get()
  @ApiOkResponse({ type: [LevelView], description: 'Levels in order; level n needs the labels of levels 1..n' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  async list(@CurrentUser() _person: BarongPrincipal): Promise<LevelView[]> {
    return (await this.labels.levels()).map(levelView);
  }
}
