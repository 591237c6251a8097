import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { errorsDoc } from '../../core/http/errors.dto.js';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { UserPresenter } from '../users/user-presenter.js';
import { AdminDeleteDataStorageDto, CreateDataStorageDto, DataStorageView } from './data-storage.dto.js';
import { DataStorageService } from './data-storage.service.js';
import { Face } from '../../core/faces/face.js';

@ApiTags('resource')
@Face('barong')
@Controller('api/v2/barong/resource/data_storage')
export class ResourceDataStorageController {
  constructor(private readonly storage: DataStorageService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: DataStorageView, description: 'Stored; the private label <title>:recorded is set' })
  @ApiUnprocessableEntityResponse(errorsDoc('resource.datastorage.missing_title|empty_title|missing_data|empty_data, title.inclusion (not a configured title), ' +
      'title.exclusion (document, label, profile, phone, user), title.too_long, title.taken, data.invalid_format, data.too_long'))
  async create(@CurrentUser() p: BarongPrincipal, @Body() body: CreateDataStorageDto): Promise<DataStorageView> {
    return this.storage.view(await this.storage.create(p.id, body.title, body.data));
  }
}

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/users/data_storage')
export class AdminDataStorageController {
  constructor(
    private readonly storage: DataStorageService,
    private readonly presenter: UserPresenter,
  ) {}

  @RequiresAbility('destroy', 'User')
  @Delete()
  @SelfAudited()
  @ApiQuery({ name: 'uid', required: true, description: 'User uid (query or body)' })
  @ApiQuery({ name: 'title', required: true, description: 'Storage title' })
  @ApiOkResponse({ description: 'The user as UserWithKYC', schema: { type: 'object' } })
  @ApiUnauthorizedResponse(errorsDoc('admin.ability.not_permitted'))
  @ApiNotFoundResponse(errorsDoc('admin.user.doesnt_exist, admin.storage.doesnt_exist'))
  @ApiUnprocessableEntityResponse(errorsDoc('admin.user.missing_uid|empty_uid|missing_title|empty_title'))
  async remove(@CurrentUser() p: BarongPrincipal, @Meta() meta: RequestMeta, @Body() params: AdminDeleteDataStorageDto): Promise<Record<string, unknown>> {
    const user = await this.storage.adminDelete(params.uid, params.title, { principal: p, meta, params: { ...params } });
    return this.presenter.withKyc(user);
  }
}
