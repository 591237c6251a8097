import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { SwaggerDocService } from './swagger-doc.service.js';
import { Face } from '../../core/faces/face.js';

const OPENAPI_SCHEMA = {
  type: 'object',
  description: 'OpenAPI 3 document',
  properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
};

/**
 * Barong's swagger_doc routes. Barong lets paths containing `swagger` through its gateway without a
 * JWT; here they are ordinary resource routes and need a signed-in caller.
 */
@ApiTags('resource')
@Face('barong')
@Controller('api/v2/barong/resource/swagger_doc')
export class SwaggerDocController {
  constructor(private readonly docs: SwaggerDocService) {}

  @Get()
  @ApiOperation({ summary: 'Swagger compatible API description' })
  @ApiOkResponse({ description: 'Swagger compatible API description (the whole OpenAPI document)', schema: OPENAPI_SCHEMA })
  @ApiUnauthorizedResponse({ description: 'authz.invalid_session' })
  whole(): OpenAPIObject {
    return this.docs.whole();
  }

  @Get(':name')
  @ApiOperation({ summary: 'Swagger compatible API description for specific API' })
  @ApiParam({ name: 'name', description: 'Resource name of mounted API (identity, resource, public, admin, ...)', example: 'identity' })
  @ApiQuery({ name: 'locale', required: false, description: 'Locale of API documentation (accepted, documents are English only)' })
  @ApiOkResponse({ description: 'Swagger compatible API description for specific API', schema: OPENAPI_SCHEMA })
  @ApiUnauthorizedResponse({ description: 'authz.invalid_session' })
  @ApiNotFoundResponse({ description: 'record.not_found (no API of that name)' })
  forApi(@Param('name') name: string): OpenAPIObject {
    return this.docs.forApi(name);
  }
}
