import { Body, Controller, Delete, HttpCode, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { errorsDoc } from '../../core/http/errors.dto.js';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { UserPresenter } from '../users/user-presenter.js';
import { CreateCommentDto, DeleteCommentDto, UpdateCommentDto } from './comments.dto.js';
import { CommentsService } from './comments.service.js';
import { Face } from '../../core/faces/face.js';

const USER_WITH_KYC = { description: 'The user the comment is about, as UserWithKYC (with comments)', schema: { type: 'object' } };

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/users/comments')
export class AdminCommentsController {
  constructor(
    private readonly comments: CommentsService,
    private readonly presenter: UserPresenter,
  ) {}

  @RequiresAbility('update', 'User')
  @Post()
  @HttpCode(201)
  @SelfAudited()
  @ApiCreatedResponse(USER_WITH_KYC)
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_uid|empty_uid|missing_title|empty_title|missing_data|empty_data, admin.comments.title_too_long, admin.comments.data_too_long'))
  async create(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: CreateCommentDto): Promise<Record<string, unknown>> {
    const user = await this.comments.create(body, { principal: p, meta, params: { uid: body.uid, title: body.title } });
    return this.presenter.withKyc(user);
  }

  @RequiresAbility('update', 'User')
  @Put()
  @SelfAudited()
  @ApiOkResponse(USER_WITH_KYC)
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.comment.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_id|empty_id|empty_title|empty_data, admin.comments.title_too_long, admin.comments.data_too_long'))
  async update(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() body: UpdateCommentDto): Promise<Record<string, unknown>> {
    const params = { id: body.id, ...(body.title !== undefined && { title: body.title }) };
    const user = await this.comments.update(body, { principal: p, meta, params });
    return this.presenter.withKyc(user);
  }

  @RequiresAbility('update', 'User')
  @Delete()
  @SelfAudited()
  @ApiQuery({ name: 'id', required: true, description: 'Comment id (query or body)' })
  @ApiOkResponse(USER_WITH_KYC)
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.comment.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_id|empty_id'))
  async remove(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() params: DeleteCommentDto): Promise<Record<string, unknown>> {
    const user = await this.comments.remove(params.id, { principal: p, meta, params: { id: params.id } });
    return this.presenter.withKyc(user);
  }
}
