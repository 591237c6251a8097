import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { AdminActivitiesAdminQueryDto, AdminActivitiesQueryDto, AdminMetricsQueryDto } from './admin-activities.dto.js';
import { AdminActivitiesService, type ActivityView, type Metrics } from './admin-activities.service.js';
import { ActivityWithUserDto, AdminAbilitiesDto, AdminActivityDto, AdminMetricsDto } from './admin-entities.dto.js';
import { abilitiesOf, NoAbilityRequired, RequiresAbility } from '../../core/auth/abilities.js';
import { Face } from '../../core/faces/face.js';

const NOT_PERMITTED = '`admin.ability.not_permitted` (the role lacks the ability), `authz.invalid_permission` (permissions table)';
const FILTER_ERRORS =
  '`admin.activity.non_string_topic`, `admin.activity.non_string_action`, `admin.activity.non_string_uid`, `admin.activity.non_string_email`, ' +
  '`admin.activity.non_string_target_uid`, `admin.activity.non_integer_from`, `admin.activity.non_integer_to`, ' +
  '`non_integer_page`, `non_positive_page`, `non_integer_limit`, `invalid_limit`';
const TOTAL = '`Total` is exact up to 10,000 matches and the planner estimate beyond.';

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/activities')
export class AdminActivitiesController {
  constructor(private readonly activities: AdminActivitiesService) {}

  @RequiresAbility('read', 'Activity')
  @Get()
  @ApiOperation({ summary: 'User activities (newest first) with the acting user, paginated' })
  @ApiOkResponse({ type: [ActivityWithUserDto], description: TOTAL })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiUnprocessableEntityResponse({ description: FILTER_ERRORS })
  async list(
    @CurrentUser() actor: BarongPrincipal,
    @Query() query: AdminActivitiesQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActivityView[]> {
    const page = await this.activities.listUser(actor, query);
    setPageHeaders(req, reply, page);
    return page.items;
  }

  @RequiresAbility('read', 'Activity')
  @Get('admin')
  @ApiOperation({ summary: 'Admin activities (newest first) with the acting admin and the target user, paginated' })
  @ApiOkResponse({ type: [AdminActivityDto], description: TOTAL })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiUnprocessableEntityResponse({ description: `\`admin.activity.invalid_range\`, ${FILTER_ERRORS}` })
  async listAdmin(
    @CurrentUser() actor: BarongPrincipal,
    @Query() query: AdminActivitiesAdminQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActivityView[]> {
    const page = await this.activities.listAdmin(actor, query);
    setPageHeaders(req, reply, page);
    return page.items;
  }
}

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/metrics')
export class AdminMetricsController {
  constructor(private readonly activities: AdminActivitiesService) {}

  @RequiresAbility('read', 'User')
  @Get()
  @ApiOperation({ summary: 'Sign-ups, successful and failed logins per UTC date, and pending KYC applications, in the given period' })
  @ApiOkResponse({ type: AdminMetricsDto, description: 'Counts per UTC date (YYYY-MM-DD) and the pending applications' })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiUnprocessableEntityResponse({ description: '`admin.metrics.non_integer_created_from`, `admin.metrics.non_integer_created_to`' })
  metrics(@CurrentUser() actor: BarongPrincipal, @Query() query: AdminMetricsQueryDto): Promise<Metrics> {
    return this.activities.metrics(actor, query);
  }
}

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/abilities')
export class AdminAbilitiesController {
  @NoAbilityRequired()
  @Get()
  @ApiOperation({ summary: "The caller role's admin abilities (`manage` implies every action); {} for a role without any" })
  @ApiOkResponse({ type: AdminAbilitiesDto, description: 'Subjects per action (`read`, `manage`)' })
  abilities(@CurrentUser() actor: BarongPrincipal): AdminAbilitiesDto {
    const a = abilitiesOf(actor.role);
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [...v]]));
  }
}
