import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiProduces, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorsDto } from '../../core/http/errors.dto.js';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { UserPresenter } from '../users/user-presenter.js';
import { PendingDocumentsQueryDto } from './documents.dto.js';
import { DocumentsService } from './documents.service.js';
import { Face } from '../../core/faces/face.js';

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin')
export class AdminDocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly presenter: UserPresenter,
  ) {}

  @RequiresAbility('read', 'User')
  @Get('users/documents/pending')
  @ApiOkResponse({
    description:
      'Users whose private `document` label is pending or replaced, the oldest label first; `User` entities, or `UserWithKYC` with extended=true. ' +
      'Headers Total, Page, Per-Page, Link.',
    schema: { type: 'array', items: { type: 'object' } },
  })
  @ApiUnauthorizedResponse({ type: ErrorsDto, description: 'admin.ability.not_permitted (needs read User)' })
  @ApiUnprocessableEntityResponse({
    type: ErrorsDto,
    description: 'admin.user.non_boolean_extended, admin.user.invalid_range, non_integer_page, non_positive_page, non_integer_limit, invalid_limit',
  })
  async pending(
    @CurrentUser() principal: BarongPrincipal,
    @Query() query: PendingDocumentsQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>[]> {
    const page = await this.documents.pendingUsers(query);
    setPageHeaders(req, reply, page);
    return query.extended ? this.presenter.withKycMany(page.items) : this.presenter.basic(page.items);
  }

  @RequiresAbility('read', 'Document')
  @Get('documents/:id')
  @SelfAudited()
  @ApiParam({ name: 'id', description: 'Document id (from the `upload.url` of a Document entity)' })
  @ApiProduces('image/png', 'image/jpeg', 'application/pdf')
  @ApiOkResponse({ description: 'The file, with its detected content type', schema: { type: 'string', format: 'binary' } })
  @ApiUnauthorizedResponse({ type: ErrorsDto, description: 'admin.ability.not_permitted (needs read Document)' })
  @ApiNotFoundResponse({ type: ErrorsDto, description: 'admin.document.doesnt_exist' })
  async download(
    @CurrentUser() principal: BarongPrincipal,
    @Param('id') id: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { doc, owner, bytes } = await this.documents.file(id);
    await this.documents.recordDownload(principal.id, owner, doc, meta);
    reply.header('cache-control', 'private, no-store');
    reply.header('x-content-type-options', 'nosniff');
    return new StreamableFile(bytes, {
      type: doc.contentType,
      length: bytes.length,
      disposition: `inline; filename="${doc.id}.${doc.fileExt}"`,
    });
  }
}
