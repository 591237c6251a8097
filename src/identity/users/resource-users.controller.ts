import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { activityView } from '../../core/audit/activity-view.js';
import { CurrentUser } from '../../core/auth/decorators.js';
import { type BarongPrincipal, sessionIdOf } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { jsonText } from '../../core/http/json-text.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { AccountService, ACTIVITY_TOPICS } from './account.service.js';
import { ActivityQueryDto, ChangePasswordDto, DeleteMeDto, UpdateMeDto } from './dto/resource-users.dto.js';
import { ActivityDto, UserWithFullInfoDto } from './dto/user-views.dto.js';
import { UserPresenter } from './user-presenter.js';
import { Face } from '../../core/faces/face.js';

@ApiTags('resource')
@ApiUnauthorizedResponse({ description: 'authz.invalid_session, authz.missing_csrf_token, authz.csrf_token_mismatch, authz.client_session_mismatch, authz.user_not_active, jwt.decode_and_verify' })
@Face('barong')
@Controller('api/v2/barong/resource/users')
export class ResourceUsersController {
  constructor(
    private readonly account: AccountService,
    private readonly presenter: UserPresenter,
  ) {}

  private async view(userId: string): Promise<UserWithFullInfoDto> {
    const view = await this.presenter.ownView(userId);
    if (!view) throw AppError.unauthorized('authz.invalid_session');
    return view as unknown as UserWithFullInfoDto;
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user with labels, phones, profiles and data storages' })
  @ApiOkResponse({ type: UserWithFullInfoDto })
  async me(@CurrentUser() p: BarongPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const json = await this.presenter.ownViewJson(p.id);
    if (json === undefined) throw AppError.unauthorized('authz.invalid_session');
    return jsonText(reply, json);
  }

  @Put('me')
  @ApiOperation({ summary: "Replace the user's additional data (JSON string)" })
  @ApiOkResponse({ type: UserWithFullInfoDto })
  @ApiUnprocessableEntityResponse({ description: 'resource.user.missing_data, resource.user.empty_data, data.invalid_format, data.too_long' })
  async updateMe(@CurrentUser() p: BarongPrincipal, @Body() body: UpdateMeDto): Promise<UserWithFullInfoDto> {
    await this.account.updateData(p.id, body.data);
    return this.view(p.id);
  }

  @Delete('me')
  @ApiOperation({ summary: 'Delete the account (state becomes deleted; every session ends)' })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiUnprocessableEntityResponse({ description: 'resource.user.missing_password, resource.user.invalid_password, resource.user.missing_otp_code, resource.user.empty_otp_code, resource.user.invalid_otp' })
  async deleteMe(@CurrentUser() p: BarongPrincipal, @Body() body: DeleteMeDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.account.deleteSelf(p.id, body.password, body.otp_code, meta);
  }

  @Put('password')
  @HttpCode(201)
  @ApiOperation({ summary: "Change the password (the user's other sessions end)" })
  @ApiCreatedResponse({ description: 'Empty body' })
  @ApiBadRequestResponse({ description: 'resource.password.prev_pass_not_correct, resource.password.no_change_provided' })
  @ApiUnprocessableEntityResponse({ description: 'resource.password.doesnt_match, resource.user.missing_old_password, password.requirements, password.weak' })
  async changePassword(@CurrentUser() p: BarongPrincipal, @Body() body: ChangePasswordDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.account.changePassword(p.id, sessionIdOf(p), { old: body.old_password, next: body.new_password, confirm: body.confirm_password }, meta);
  }

  @Get('activity/:topic')
  @ApiOperation({ summary: "The user's activity log, newest first (headers Total, Page, Per-Page, Link)" })
  @ApiParam({ name: 'topic', enum: [...ACTIVITY_TOPICS] })
  @ApiOkResponse({ type: [ActivityDto] })
  @ApiUnprocessableEntityResponse({ description: 'resource.user.wrong_topic, resource.user.no_activity, resource.user.non_integer_time_from, resource.user.non_integer_time_to, non_integer_page, invalid_limit' })
  async activity(
    @CurrentUser() p: BarongPrincipal,
    @Param('topic') topic: string,
    @Query() q: ActivityQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActivityDto[]> {
    const page = await this.account.activity(p.id, { topic, timeFrom: q.time_from, timeTo: q.time_to, result: q.result, page: q.page, limit: q.limit });
    setPageHeaders(req, reply, page);
    return page.items.map(activityView);
  }
}
