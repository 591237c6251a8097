import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { IsDefined, IsInt, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { Principal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { PageQueryDto, setPageHeaders } from '../../core/http/pagination.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import type { BalanceCode } from './subscription.entity.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { RequiresAbility } from '../../core/auth/abilities.js';

const MAX_BYTES = 1024 ** 5; // 1 PiB
const PREFIX = 'admin.balance_code';

export class CreateBalanceCodeDto {
  @ApiProperty({ description: 'Bytes the code gives', example: 10 * 1024 ** 3 })
  @IsDefined({ message: `${PREFIX}.missing_balance_byte_count` })
  @IsInt({ message: `${PREFIX}.non_integer_balance_byte_count` })
  @Min(1, { message: `${PREFIX}.invalid_balance_byte_count` })
  @Max(MAX_BYTES, { message: `${PREFIX}.invalid_balance_byte_count` })
  balance_byte_count: number;

  @ApiProperty({ description: 'How long the balance lasts once redeemed', example: 30 })
  @IsDefined({ message: `${PREFIX}.missing_duration_days` })
  @IsInt({ message: `${PREFIX}.non_integer_duration_days` })
  @Min(1, { message: `${PREFIX}.invalid_duration_days` })
  @Max(3650, { message: `${PREFIX}.invalid_duration_days` })
  duration_days: number;
}

export class CreatedBalanceCodeDto {
  @ApiProperty({ description: 'Shown once; only its hash is stored' }) secret: string;
  @ApiProperty() balance_byte_count: number;
  @ApiProperty() start_time: string;
  @ApiProperty() end_time: string;
}

export class BalanceCodeEntityDto {
  @ApiProperty({ format: 'uuid' }) balance_code_id: string;
  @ApiProperty() balance_byte_count: number;
  @ApiProperty() start_time: string;
  @ApiProperty() end_time: string;
  @ApiProperty({ nullable: true, type: String }) redeem_time: string | null;
}

const present = (c: BalanceCode): BalanceCodeEntityDto => ({
  balance_code_id: c.id,
  balance_byte_count: Number(c.balanceByteCount),
  start_time: c.startTime.toISOString(),
  end_time: c.endTime.toISOString(),
  redeem_time: c.redeemTime ? c.redeemTime.toISOString() : null,
});

/** URnetwork balance codes for the admin console (the permissions table decides who may call it). */
@ApiTags('admin')
@ApiUnauthorizedResponse({ description: 'authz.invalid_permission' })
@Face('barong')
@Controller('api/v2/barong/admin/balance_codes')
export class AdminBalanceCodesController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @RequiresAbility('create', 'BalanceCode')
  @Post()
  @HttpCode(201)
  @SelfAudited()
  @ApiOperation({ summary: 'Create a URnetwork balance code (the secret is shown once)' })
  @ApiOkResponse({ type: CreatedBalanceCodeDto })
  @ApiUnprocessableEntityResponse({ description: `${PREFIX}.missing_|non_integer_|invalid_balance_byte_count, ${PREFIX}.missing_|non_integer_|invalid_duration_days` })
  async create(@Body() body: CreateBalanceCodeDto, @CurrentUser() admin: Principal, @Meta() meta: RequestMeta): Promise<CreatedBalanceCodeDto> {
    const { code, secret } = await this.subscriptions.createBalanceCode({
      balanceByteCount: body.balance_byte_count,
      durationDays: body.duration_days,
      adminUserId: admin.kind === 'user' ? admin.id : '',
      meta,
    });
    return { secret, balance_byte_count: Number(code.balanceByteCount), start_time: code.startTime.toISOString(), end_time: code.endTime.toISOString() };
  }

  @RequiresAbility('read', 'BalanceCode')
  @Get()
  @ApiOperation({ summary: 'Balance codes, newest first, as a paginated collection' })
  @ApiOkResponse({ type: BalanceCodeEntityDto, isArray: true, description: 'Headers Total, Page, Per-Page, Link' })
  @ApiUnprocessableEntityResponse({ description: 'non_integer_page, non_positive_page, non_integer_limit, invalid_limit' })
  async list(@Query() q: PageQueryDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<BalanceCodeEntityDto[]> {
    const [items, total] = await this.subscriptions.listBalanceCodes(q.page, q.limit);
    setPageHeaders(req, reply, { total, page: q.page, limit: q.limit });
    return items.map(present);
  }
}
