import { Body, Controller, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { errorsDoc } from '../../core/http/errors.dto.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { AdminProfileView } from './profile-views.js';
import { AdminCreateProfileDto, AdminDecideProfileDto, AdminProfilesQueryDto } from './profiles.dto.js';
import { ProfilesService } from './profiles.service.js';
import { fieldsOf } from './resource-profiles.controller.js';
import { Face } from '../../core/faces/face.js';


@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/profiles')
export class AdminProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @RequiresAbility('read', 'Profile')
  @Get()
  @ApiOkResponse({ type: [AdminProfileView], description: 'All profiles, unmasked, paginated' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiUnprocessableEntityResponse(errorsDoc('non_integer_page, non_positive_page, non_integer_limit, invalid_limit'))
  async list(
    @CurrentUser() p: BarongPrincipal,
    @Query() q: AdminProfilesQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AdminProfileView[]> {
    const page = await this.profiles.adminList(q.page, q.limit);
    setPageHeaders(req, reply, page);
    return page.items.map((x) => this.profiles.adminView(x.profile, x.uid));
  }

  @RequiresAbility('update', 'Profile')
  @Put()
  @SelfAudited()
  @ApiOkResponse({ type: AdminProfileView, description: 'The decided profile' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.profiles.doesnt_exist_or_not_editable (no submitted profile)'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.profile.missing_uid, admin.profile.missing_state, admin.profiles.superadmin_change, ' +
      'admin.profiles.second_admin_approval (double verification: the author may not decide), state.inclusion (verified|rejected)'))
  async decide(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: AdminDecideProfileDto): Promise<AdminProfileView> {
    const r = await this.profiles.adminDecide(body.uid, String(body.state), { principal: p, meta });
    return this.profiles.adminView(r.profile, r.uid);
  }

  @RequiresAbility('create', 'Profile')
  @Post()
  @HttpCode(201)
  @SelfAudited()
  @ApiCreatedResponse({ type: AdminProfileView, description: 'A submitted profile authored by the calling admin' })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.profile.missing_uid, state.exists, and the profile field codes'))
  async create(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: AdminCreateProfileDto): Promise<AdminProfileView> {
    const r = await this.profiles.adminCreate(body.uid, fieldsOf(body), { principal: p, meta });
    return this.profiles.adminView(r.profile, r.uid);
  }
}
