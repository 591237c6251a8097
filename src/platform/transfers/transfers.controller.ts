import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Face } from '../../core/faces/face.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field } from '../common/dto.js';
import { inputOf } from '../common/input.js';
import { TransfersService } from './transfers.service.js';

export class TransferCreateDto {
  @Field('ETH MATIC AVAX (ETH wallets), SOL, BTC, DOT, XLM') dest_currency?: unknown;
  @Field('The source wallet (wallet_…)') source?: unknown;
  @Field('Destination address on the same chain (XLM: address:memo)') dest?: unknown;
  @Field('Decimal string', '0.5') source_amount?: unknown;
  @Field('Notes') notes?: unknown;
  @Field('true: source_amount includes the fees') amount_includes_fees?: unknown;
  @Field('Must own the source wallet when given') user_id?: unknown;
}

export class TransferConfirmDto {
  @Field('Must own the transfer when given') user_id?: unknown;
}

export class TransferListQueryDto {
  @Field('user_…') user_id?: unknown;
  @Field('wallet_…') source?: unknown;
  @Field('10…100, default 50') limit?: unknown;
  @Field('≥ 0') offset?: unknown;
}

@ApiTags('transfers')
@Face('platform')
@Controller('v1/transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post('create')
  @HttpCode(200)
  @SbDoc('Create an unconfirmed transfer (expires in 2 minutes)', {
    ok: 'Transfer',
    bad: '`incompatible_currency`, `invalid_amount`, `invalid_destination`, `user_id_mismatch`',
    notFound: '`wallet_not_found`',
  })
  create(@CallerApp() appId: string, @Body() body: TransferCreateDto): Promise<unknown> {
    return this.transfers.create(appId, inputOf(body));
  }

  @Get('list')
  @SbDoc('Transfers of the app (unconfirmed excluded), newest first', { ok: '{transfers, count, offset, limit}', bad: '`invalid_limit`' })
  list(@CallerApp() appId: string, @Query() query: TransferListQueryDto): Promise<unknown> {
    return this.transfers.list(appId, inputOf(query));
  }

  @Post(':transfer_id/confirm')
  @HttpCode(200)
  @SbDoc('Confirm a transfer: pending, then completed or failed (insufficient balance)', {
    ok: 'Transfer',
    bad: '`transfer_expired`, `transfer_not_unconfirmed`',
    notFound: '`transfer_not_found`',
  })
  confirm(@CallerApp() appId: string, @Param('transfer_id') id: string, @Body() body: TransferConfirmDto): Promise<unknown> {
    return this.transfers.confirm(appId, id, inputOf(body));
  }

  @Get(':transfer_id')
  @SbDoc('A transfer', { ok: 'Transfer', notFound: '`transfer_not_found`' })
  get(@CallerApp() appId: string, @Param('transfer_id') id: string): Promise<unknown> {
    return this.transfers.get(appId, id);
  }
}
