import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { errorsDoc } from '../../core/http/errors.dto.js';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { CreateLabelDto, ListLabelsQueryDto, UpdateLabelDto } from './labels.dto.js';
import { LabelsApiService } from './labels-api.service.js';
import { LabelView, labelView } from './label-views.js';
import { Face } from '../../core/faces/face.js';

@ApiTags('resource')
@Face('barong')
@Controller('api/v2/barong/resource/labels')
export class ResourceLabelsController {
  constructor(private readonly labels: LabelsApiService) {}

  @Get()
  @ApiOkResponse({ type: [LabelView], description: "All the user's labels (both scopes)" })
  @ApiUnprocessableEntityResponse(errorsDoc('resource.label.invalid_ordering'))
  async list(@CurrentUser() p: BarongPrincipal, @Query() q: ListLabelsQueryDto): Promise<LabelView[]> {
    return (await this.labels.listOwn(p.id, q.ordering)).map(labelView);
  }

  @Get(':key')
  @ApiParam({ name: 'key', description: 'Label key' })
  @ApiOkResponse({ type: LabelView, description: 'The label with this key (public first)' })
  @ApiNotFoundResponse(errorsDoc('record.not_found'))
  async get(@CurrentUser() p: BarongPrincipal, @Param('key') key: string): Promise<LabelView> {
    return labelView(await this.labels.getOwn(p.id, key));
  }

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: LabelView, description: 'A public label' })
  @ApiUnprocessableEntityResponse(errorsDoc('resource.label.missing_key, resource.label.empty_key, resource.label.missing_value, resource.label.empty_value, ' +
      'key.too_short, key.too_long, key.invalid, key.taken, value.too_short, value.too_long, value.invalid'))
  async create(@CurrentUser() p: BarongPrincipal, @Body() body: CreateLabelDto): Promise<LabelView> {
    return labelView(await this.labels.createOwn(p.id, body.key, body.value));
  }

  @Patch(':key')
  @ApiParam({ name: 'key', description: 'Label key' })
  @ApiOkResponse({ type: LabelView, description: 'The updated public label' })
  @ApiBadRequestResponse(errorsDoc('resource.labels.private'))
  @ApiNotFoundResponse(errorsDoc('record.not_found'))
  @ApiUnprocessableEntityResponse(errorsDoc('resource.label.missing_value, resource.label.empty_value, value.too_short, value.too_long, value.invalid'))
  async update(@CurrentUser() p: BarongPrincipal, @Param('key') key: string, @Body() body: UpdateLabelDto): Promise<LabelView> {
    return labelView(await this.labels.updateOwn(p.id, key, body.value));
  }

  @Delete(':key')
  @HttpCode(204)
  @ApiParam({ name: 'key', description: 'Label key' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse(errorsDoc('resource.labels.private'))
  @ApiNotFoundResponse(errorsDoc('record.not_found'))
  async remove(@CurrentUser() p: BarongPrincipal, @Param('key') key: string): Promise<void> {
    await this.labels.deleteOwn(p.id, key);
  }
}
