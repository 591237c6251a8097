import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { PageQueryDto, setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CreatePermissionDto, DryRunDto, DryRunResultDto, ExplainQueryDto, ExplanationDto, PermissionEntityDto, PermissionIdDto, presentPermission, UpdatePermissionDto } from './permissions.dto.js';
import { DecisionStats } from './decision-stats.js';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { PermissionsService } from './permissions.service.js';
import { Face } from '../../core/faces/face.js';

const DENIED = 'authz.invalid_permission (no ACCEPT or a DROP for the role), admin.ability.not_permitted';
const PAGE_ERRORS = 'non_integer_page, non_positive_page, non_integer_limit, invalid_limit';


@ApiTags('admin')
@ApiUnauthorizedResponse({ description: DENIED })
@Face('barong')
@Controller('api/v2/barong/admin/permissions')
export class AdminPermissionsController {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly stats: DecisionStats,
    private readonly activities: ActivitiesService,
  ) {}

  @Get('explain')
  @RequiresAbility('read', 'Permission')
  @ApiOperation({ summary: "Explains the permissions table's decision for a role, verb and path: the decision and the rows that produced it" })
  @ApiOkResponse({ type: ExplanationDto, description: 'The same compiled matcher the guard and the gateway use' })
  @ApiUnprocessableEntityResponse({ description: 'admin.permission.missing_role|empty_role|missing_verb|empty_verb|missing_path|empty_path, admin.permission.non_string_<field>' })
  async explain(@Query() q: ExplainQueryDto, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<ExplanationDto> {
    const path = q.path.replace(/^\/+/, '');
    const result = this.permissions.explain(q.role, q.verb, path);
    await this.activities.record({
      userId: principal.kind === 'user' ? principal.id : null,
      category: 'admin',
      topic: 'permissions',
      action: 'explain',
      result: 'succeed',
      meta,
      data: { role: q.role, verb: q.verb, path, decision: result.decision },
    });
    return result;
  }

  @Post('dry_run')
  @RequiresAbility('read', 'Permission')
  @HttpCode(200)
  @SelfAudited()
  @ApiOperation({ summary: 'Which recent requests (last 24 hours) a proposed change of the table would flip, with counts; nothing is saved' })
  @ApiBody({ type: DryRunDto })
  @ApiOkResponse({ type: DryRunResultDto })
  @ApiUnprocessableEntityResponse({ description: 'admin.permissions.invalid_add, admin.permissions.invalid_remove, admin.permissions.invalid_change, admin.permission.doesnt_exist' })
  async dryRun(@Body() body: DryRunDto, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<DryRunResultDto> {
    const recent = await this.stats.recent();
    const proposal = { add: body.add ?? [], remove: body.remove ?? [], change: body.change ?? [] };
    const flips = this.permissions.dryRun(proposal, recent);
    await this.activities.record({
      userId: principal.kind === 'user' ? principal.id : null,
      category: 'admin',
      topic: 'permissions',
      action: 'dry_run',
      result: 'succeed',
      meta,
      data: { ...proposal, flips: flips.length },
    });
    return { flips, sampled: recent.length };
  }

  @RequiresAbility('read', 'Permission')
  @Get()
  @ApiOperation({ summary: 'Returns array of permissions as paginated collection' })
  @ApiOkResponse({ type: PermissionEntityDto, isArray: true, description: 'Headers Total, Page, Per-Page, Link' })
  @ApiUnprocessableEntityResponse({ description: PAGE_ERRORS })
  async list(
    @Query() q: PageQueryDto,
    @CurrentUser() principal: BarongPrincipal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PermissionEntityDto[]> {
    const [items, total] = await this.permissions.list(q.page, q.limit);
    setPageHeaders(req, reply, { total, page: q.page, limit: q.limit });
    return items.map(presentPermission);
  }

  @RequiresAbility('create', 'Permission')
  @Post()
  @HttpCode(200)
  @SelfAudited()
  @ApiOperation({ summary: 'Create permission (the role must already have a permission)' })
  @ApiOkResponse({ type: PermissionEntityDto, description: 'The created permission' })
  @ApiUnprocessableEntityResponse({
    description:
      'admin.permissions.invalid_verb, admin.permissions.invalid_action, admin.permission.role_doesnt_exist, ' +
      'admin.permission.missing_role|empty_role|missing_verb|empty_verb|missing_path|empty_path|missing_action|empty_action, ' +
      'admin.permission.non_string_<field>, role.too_long, path.too_long, topic.too_long',
  })
  async create(@Body() body: CreatePermissionDto, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<PermissionEntityDto> {
    return presentPermission(await this.permissions.create(body, principal, meta));
  }

  @RequiresAbility('update', 'Permission')
  @Put()
  @SelfAudited()
  @ApiOperation({ summary: 'Update permission' })
  @ApiBody({ type: UpdatePermissionDto })
  @ApiOkResponse({ type: PermissionEntityDto, description: 'The updated permission' })
  @ApiNotFoundResponse({ description: 'admin.permission.doesnt_exist' })
  @ApiUnprocessableEntityResponse({
    description: 'admin.permission.missing_id, admin.permission.empty_id, admin.permission.non_integer_id, admin.permission.empty_<field>, <field>.too_long',
  })
  async update(
    @Body() params: UpdatePermissionDto,
    @CurrentUser() principal: BarongPrincipal,
    @Meta() meta: RequestMeta,
  ): Promise<PermissionEntityDto> {
    const { id, ...patch } = params;
    return presentPermission(await this.permissions.update(id, patch, principal, meta));
  }

  @RequiresAbility('destroy', 'Permission')
  @Delete()
  @SelfAudited()
  @ApiOperation({ summary: 'Deletes permission' })
  @ApiQuery({ name: 'id', required: false, type: Number, description: 'Permission id (query or body)' })
  @ApiBody({ type: PermissionIdDto, required: false })
  @ApiOkResponse({ type: PermissionEntityDto, description: 'The deleted permission' })
  @ApiNotFoundResponse({ description: 'admin.permission.doesnt_exist' })
  @ApiUnprocessableEntityResponse({ description: 'admin.permission.missing_id, admin.permission.empty_id, admin.permission.non_integer_id' })
  async remove(
    @Body() params: PermissionIdDto,
    @CurrentUser() principal: BarongPrincipal,
    @Meta() meta: RequestMeta,
  ): Promise<PermissionEntityDto> {
    const { id } = params;
    return presentPermission(await this.permissions.remove(id, principal, meta));
  }
}
