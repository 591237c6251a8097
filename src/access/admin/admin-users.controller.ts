import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { AdminUserDto, AdminUserWithKycDto, AdminUserWithProfileDto } from './admin-entities.dto.js';
import { AdminUserPutDto, AdminUserRoleDto, AdminUserUpdateDto, AdminUsersQueryDto } from './admin-users.dto.js';
import { AdminUsersService, type UserChangeRequest, type UserView } from './admin-users.service.js';
import { Face } from '../../core/faces/face.js';
import { RequiresAbility } from '../../core/auth/abilities.js';

const NOT_PERMITTED = '`admin.ability.not_permitted` (the role lacks the ability), `authz.invalid_permission` (permissions table)';
const WRITE_ERRORS =
  '`admin.user.missing_uid`, `admin.user.empty_uid`, `admin.user.superadmin_change` (target is a superadmin, caller is not), ' +
  '`admin.user.update_himself`, `admin.user.enable_2fa` (otp=true), `admin.user.state_no_change`, `admin.user.otp_no_change`, ' +
  '`admin.user.empty_state`, `admin.user.empty_otp`, `admin.user.non_boolean_otp`, `state.too_long`';

/** The single attribute a state/otp/email write carries (the DTO has already checked there is exactly one). */
function requested(body: { uid: string; state?: string; otp?: boolean; email?: string }): UserChangeRequest {
  if (body.state !== undefined) return { uid: body.uid, field: 'state', value: body.state };
  if (body.otp !== undefined) return { uid: body.uid, field: 'otp', value: body.otp };
  return { uid: body.uid, field: 'email', value: body.email! };
}

@ApiTags('admin')
@ApiExtraModels(AdminUserDto, AdminUserWithProfileDto)
@Face('barong')
@Controller('api/v2/barong/admin/users')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @RequiresAbility('read', 'User')
  @Get()
  @ApiOperation({ summary: 'Users as a paginated collection (Total, Page, Per-Page, Link headers)' })
  @ApiOkResponse({
    description:
      '`User` entities, or `UserWithProfile` with `extended=true`. `Total` is exact up to 10,000 matches and the planner estimate beyond.',
    schema: { type: 'array', items: { oneOf: [{ $ref: getSchemaPath(AdminUserDto) }, { $ref: getSchemaPath(AdminUserWithProfileDto) }] } },
  })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiUnprocessableEntityResponse({
    description:
      '`admin.user.non_boolean_extended`, `admin.user.invalid_range`, `user.ordering.invalid_ordering`, `user.ordering.invalid_attribute`, ' +
      '`admin.user.non_integer_level|from|to`, `admin.user.non_string_<field>`, `non_integer_page`, `non_positive_page`, `non_integer_limit`, `invalid_limit`',
  })
  async list(
    @CurrentUser() actor: BarongPrincipal,
    @Query() query: AdminUsersQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView[]> {
    const page = await this.users.list(actor, query);
    setPageHeaders(req, reply, page);
    return page.items;
  }

  @RequiresAbility('update', 'User')
  @Post('update')
  @HttpCode(200)
  @SelfAudited()
  @ApiOperation({ summary: 'Change the state of a user, or disable their 2FA (exactly one of state/otp)' })
  @ApiOkResponse({ type: AdminUserDto, description: 'The changed user (`User`)' })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiNotFoundResponse({ description: '`admin.user.doesnt_exist`' })
  @ApiUnprocessableEntityResponse({ description: `\`admin.user.one_of_state_otp\`, ${WRITE_ERRORS}` })
  update(@CurrentUser() actor: BarongPrincipal, @Body() body: AdminUserUpdateDto, @Meta() meta: RequestMeta): Promise<UserView> {
    return this.users.change(actor, requested(body), meta);
  }

  @RequiresAbility('update', 'User')
  @Put()
  @SelfAudited()
  @ApiOperation({ summary: 'Change the state, 2FA or e-mail (superadmin only) of a user (exactly one of state/otp/email)' })
  @ApiOkResponse({ type: AdminUserDto, description: 'The changed user (`User`)' })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiNotFoundResponse({ description: '`admin.user.doesnt_exist`' })
  @ApiUnprocessableEntityResponse({
    description:
      `\`admin.user.one_of_state_otp_email\`, \`superadmin.user.update_email\`, \`admin.user.email_no_change\`, \`admin.user.empty_email\`, ` +
      `\`email.invalid\`, \`email.taken\`, ${WRITE_ERRORS}`,
  })
  put(@CurrentUser() actor: BarongPrincipal, @Body() body: AdminUserPutDto, @Meta() meta: RequestMeta): Promise<UserView> {
    return this.users.change(actor, requested(body), meta);
  }

  @RequiresAbility('update', 'User')
  @Post('role')
  @HttpCode(200)
  @SelfAudited()
  @ApiOperation({ summary: 'Change the role of a user (a role of the permissions table)' })
  @ApiOkResponse({ type: AdminUserDto, description: 'The changed user (`User`)' })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiNotFoundResponse({ description: '`admin.user.doesnt_exist`' })
  @ApiUnprocessableEntityResponse({
    description:
      '`admin.user.missing_uid`, `admin.user.empty_uid`, `admin.user.missing_role`, `admin.user.empty_role`, `role.doesnt_exist`, ' +
      '`admin.user.role_no_change`, `admin.user.superadmin_change` (target is a superadmin, or a non-superadmin grants superadmin), `admin.user.update_himself`',
  })
  role(@CurrentUser() actor: BarongPrincipal, @Body() body: AdminUserRoleDto, @Meta() meta: RequestMeta): Promise<UserView> {
    return this.users.change(actor, { uid: body.uid, field: 'role', value: body.role }, meta);
  }

  @RequiresAbility('read', 'User')
  @Get(':uid')
  @ApiOperation({ summary: 'One user with KYC details (UserWithKYC)' })
  @ApiParam({ name: 'uid', description: 'user uniq id' })
  @ApiOkResponse({ type: AdminUserWithKycDto, description: 'The user with profiles, labels, phones, documents, data storages and comments' })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiNotFoundResponse({ description: '`admin.user.doesnt_exist`' })
  get(@CurrentUser() actor: BarongPrincipal, @Param('uid') uid: string): Promise<UserView> {
    return this.users.get(actor, uid);
  }
}
