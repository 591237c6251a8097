import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorsDto } from '../../core/http/errors.dto.js';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { AppError } from '../../core/http/app-error.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { UsersService } from '../users/users.service.js';
import { ADDRESS_FORM_SCHEMA, AddressUploadDto, DOCUMENT_FORM_SCHEMA, DocumentDto, DocumentUploadDto } from './documents.dto.js';
import { DocumentsService } from './documents.service.js';
import { validateForm } from './form.js';
import { MultipartForm, readMultipart } from './multipart.js';
import { Face } from '../../core/faces/face.js';

const FILE_FIELDS = ['upload[]', 'upload'];

@ApiTags('resource')
@Face('barong')
@Controller('api/v2/barong/resource')
export class ResourceDocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async form(req: FastifyRequest): Promise<MultipartForm> {
    const form = await readMultipart(req, FILE_FIELDS, this.config.kyc.uploadMaxBytes);
    if (!form.files.length && !Object.keys(form.fields).length && req.body && typeof req.body === 'object') {
      // A JSON or url-encoded body cannot carry files, but its fields still get validated.
      for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) if (typeof v === 'string') form.fields[k] = v;
    }
    return form;
  }

  private async user(principal: BarongPrincipal) {
    const user = await this.users.findById(principal.id);
    if (!user) throw AppError.unauthorized('authz.invalid_session');
    return user;
  }

  @Get('documents')
  @ApiOkResponse({ type: DocumentDto, isArray: true, description: "The caller's documents, oldest first; doc_number masked" })
  @ApiUnauthorizedResponse({ type: ErrorsDto, description: 'authz.invalid_session' })
  list(@CurrentUser() principal: BarongPrincipal): Promise<DocumentDto[]> {
    return this.documents.list(principal.id);
  }

  @Post('documents')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: DOCUMENT_FORM_SCHEMA as never })
  @ApiCreatedResponse({ description: 'Uploaded; one document row per file; private label document:pending. Empty body.' })
  @ApiBadRequestResponse({ type: ErrorsDto, description: 'resource.documents.limit_reached, resource.documents.limit_will_be_reached' })
  @ApiUnprocessableEntityResponse({
    type: ErrorsDto,
    description:
      'resource.document.missing_doc_type|empty_doc_type|missing_doc_number|empty_doc_number|missing_upload, upload.blank, ' +
      'resource.documents.doc_category, resource.documents.expire_not_a_date, resource.documents.invalid_format, ' +
      'resource.documents.already_expired, doc_type.inclusion, doc_number.invalid, metadata.invalid_format, ' +
      'resource.documents.invalid_file_type, resource.documents.invalid_file_size, resource.documents.connection_error',
  })
  async create(@Req() req: FastifyRequest, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<void> {
    const form = await this.form(req);
    const { dto, codes } = await validateForm(DocumentUploadDto, form.fields);
    const uploadCodes = this.documents.uploadCodes(form.files, 'upload' in form.fields || 'upload[]' in form.fields, 'resource.document');
    const docTypeIdx = codes.findIndex((c) => !c.includes('doc_type') && !c.includes('doc_number'));
    const all = docTypeIdx < 0 ? [...codes, ...uploadCodes] : [...codes.slice(0, docTypeIdx), ...uploadCodes, ...codes.slice(docTypeIdx)];
    if (all.length) throw AppError.unprocessable(all);
    await this.documents.upload(await this.user(principal), dto, form.files, meta);
  }

  @Post('addresses')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: ADDRESS_FORM_SCHEMA as never })
  @ApiCreatedResponse({ description: 'Uploaded as Address documents; private label address:pending. Empty body.' })
  @ApiBadRequestResponse({ type: ErrorsDto, description: 'resource.documents.limit_reached, resource.documents.limit_will_be_reached' })
  @ApiUnprocessableEntityResponse({
    type: ErrorsDto,
    description:
      'resource.address.missing_country|empty_country|missing_address|empty_address|missing_city|missing_postcode|missing_upload, ' +
      'upload.blank, resource.documents.invalid_file_type, resource.documents.invalid_file_size',
  })
  async address(@Req() req: FastifyRequest, @CurrentUser() principal: BarongPrincipal, @Meta() meta: RequestMeta): Promise<void> {
    const form = await this.form(req);
    const { dto, codes } = await validateForm(AddressUploadDto, form.fields);
    const all = [...codes, ...this.documents.uploadCodes(form.files, 'upload' in form.fields || 'upload[]' in form.fields, 'resource.address')];
    if (all.length) throw AppError.unprocessable(all);
    await this.documents.uploadAddress(await this.user(principal), dto, form.files, meta);
  }
}
