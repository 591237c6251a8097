import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { ActivityChainVerifier } from '../../core/audit/activity-chain-verifier.js';
import { Face } from '../../core/faces/face.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { DataSource } from 'typeorm';
import { AdminActivitiesService } from './admin-activities.service.js';
import { AdminActivitiesExportQueryDto, AdminActivitiesVerifyQueryDto, ChainVerificationDto } from './admin-audit.dto.js';
import { EXPORT_COLUMNS, exportStream } from './activity-export.js';

const NOT_PERMITTED = '`admin.ability.not_permitted` (the role lacks the ability), `authz.invalid_permission` (permissions table: auditor and superadmin)';

@ApiTags('admin')
@Face('barong')
@Controller('api/v2/barong/admin/activities')
export class AdminAuditController {
  constructor(
    private readonly verifier: ActivityChainVerifier,
    private readonly activities: AdminActivitiesService,
    private readonly recorder: ActivitiesService,
    private readonly dataSource: DataSource,
  ) {}

  @RequiresAbility('read', 'Activity')
  @Get('verify')
  @ApiOperation({ summary: 'Verifies the activity hash chain from a checkpoint to its head' })
  @ApiOkResponse({ type: ChainVerificationDto, description: '`valid`, the entries checked and the first altered, inserted or deleted entry' })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiUnprocessableEntityResponse({ description: '`admin.activity.non_integer_from_seq`' })
  async verify(@CurrentUser() actor: BarongPrincipal, @Query() q: AdminActivitiesVerifyQueryDto, @Meta() meta: RequestMeta): Promise<ChainVerificationDto> {
    const result = await this.verifier.verify(q.from_seq);
    await this.recorder.record({
      userId: actor.kind === 'user' ? actor.id : null,
      category: 'admin',
      topic: 'activities',
      action: 'verify',
      result: 'succeed',
      meta,
      data: { valid: result.valid, checked: result.checked, first_invalid: result.first_invalid },
    });
    return result;
  }

  @RequiresAbility('read', 'Activity')
  @Get('export')
  @ApiOperation({ summary: 'Streams the activities matching the list filters (both categories unless `category`), oldest first, as CSV or NDJSON; the export is itself an activity' })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: `Columns: ${EXPORT_COLUMNS.join(', ')}`, schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: NOT_PERMITTED })
  @ApiUnprocessableEntityResponse({ description: '`admin.activity.missing_format`, `admin.activity.invalid_format`, `admin.activity.invalid_category` and the list filter codes' })
  async export(@CurrentUser() actor: BarongPrincipal, @Query() q: AdminActivitiesExportQueryDto, @Meta() meta: RequestMeta): Promise<StreamableFile> {
    const { format, category, ...filters } = q;
    const filter = await this.activities.sqlFilters(filters, category);
    await this.recorder.record({
      userId: actor.kind === 'user' ? actor.id : null,
      category: 'admin',
      topic: 'activities',
      action: 'export',
      result: 'succeed',
      meta,
      data: { format, ...(category ? { category } : {}), ...filters },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return new StreamableFile(exportStream(this.dataSource, filter, format), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      disposition: `attachment; filename="activities-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
    });
  }
}
