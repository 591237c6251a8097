import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { ErrorDetailDto, Str } from '../common/dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

export class BalanceCodeSecretDto {
  @Str('The balance code secret', 256) secret?: string;
}

class BalanceTermsDto {
  @ApiProperty() start_time: string;
  @ApiProperty() end_time: string;
  @ApiProperty() balance_byte_count: number;
}

export class CheckBalanceCodeResultDto {
  @ApiPropertyOptional({ type: BalanceTermsDto }) balance?: BalanceTermsDto;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

class RedeemedBalanceDto extends BalanceTermsDto {
  @ApiProperty({ format: 'uuid' }) transfer_balance_id: string;
}

export class RedeemBalanceCodeResultDto {
  @ApiPropertyOptional({ type: RedeemedBalanceDto }) transfer_balance?: RedeemedBalanceDto;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

class ActiveBalanceDto {
  @ApiProperty({ format: 'uuid' }) balance_id: string;
  @ApiProperty({ format: 'uuid' }) network_id: string;
  @ApiProperty() start_time: string;
  @ApiProperty() end_time: string;
  @ApiProperty() start_balance_byte_count: number;
  @ApiProperty() net_revenue_nano_cents: number;
  @ApiProperty() balance_byte_count: number;
}

export class SubscriptionBalanceDto {
  @ApiProperty() balance_byte_count: number;
  @ApiPropertyOptional({ type: [ActiveBalanceDto] }) active_transfer_balances?: ActiveBalanceDto[];
  @ApiProperty() pending_payout_usd_nano_cents: number;
  @ApiProperty() update_time: string;
}

export class PaymentIdResultDto {
  @ApiPropertyOptional({ format: 'uuid' }) subscription_payment_id?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

@ApiTags('network subscriptions')
@ApiBearerAuth()
@Face('network')
@Controller('subscription')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Get('balance')
  @ApiOperation({ summary: 'The network\'s active transfer balances' })
  @ApiOkResponse({ type: SubscriptionBalanceDto })
  balance(@CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, unknown>> {
    return this.subscriptions.balance(p);
  }

  @Post('check-balance-code')
  @HttpCode(200)
  @ApiOperation({ summary: 'What a balance code gives, without redeeming it' })
  @ApiOkResponse({ type: CheckBalanceCodeResultDto })
  check(@Body() body: BalanceCodeSecretDto): Promise<Record<string, unknown>> {
    return this.subscriptions.checkBalanceCode(body.secret ?? '');
  }

  @Post('redeem-balance-code')
  @HttpCode(200)
  @ApiOperation({ summary: 'Redeem a balance code once: its data is added to the network\'s balance' })
  @ApiOkResponse({ type: RedeemBalanceCodeResultDto })
  redeem(@Body() body: BalanceCodeSecretDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.subscriptions.redeemBalanceCode(p, body.secret ?? '', meta);
  }

  @Post('create-payment-id')
  @HttpCode(200)
  @ApiOperation({ summary: 'An anonymous payment id for app-store purchases (at most 5 per network per hour)' })
  @ApiOkResponse({ type: PaymentIdResultDto })
  createPaymentId(@CurrentPrincipal() p: NetworkPrincipal): Promise<{ subscription_payment_id: string }> {
    return this.subscriptions.createPaymentId(p);
  }
}
