import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { Last90Dto, ProviderLast90Dto, ProviderLast90ResultDto, ProvidersDto, ProvidersOverviewDto, TransferStatsDto } from './stats.dto.js';
import { StatsService } from './stats.service.js';

@ApiTags('network stats')
@Face('network')
@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('stats/last-90')
  @Public()
  @ApiOperation({ summary: 'Network-wide statistics of the last 90 days (created_time in unix ms)' })
  @ApiOkResponse({ type: Last90Dto })
  last90(): Promise<Record<string, unknown>> {
    return this.stats.last90();
  }

  @Get('stats/providers')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller network\'s providers with their last 24 hours' })
  @ApiOkResponse({ type: ProvidersDto })
  providers(@CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, unknown>> {
    return this.stats.providers(p);
  }

  @Post('stats/provider-last-90')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One provider of the caller network over 90 days (403 for another network\'s client)' })
  @ApiOkResponse({ type: ProviderLast90ResultDto })
  providerLast90(@Body() body: ProviderLast90Dto, @CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, unknown>> {
    return this.stats.providerLast90(p, body.client_id);
  }

  @Get('stats/providers-overview-last-90')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller network\'s providers summed over 90 days' })
  @ApiOkResponse({ type: ProvidersOverviewDto })
  providersOverview(@CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, unknown>> {
    return this.stats.providersOverview(p);
  }

  @Get('transfer/stats')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Bytes the caller network provided, paid and unpaid' })
  @ApiOkResponse({ type: TransferStatsDto })
  transferStats(@CurrentPrincipal() p: NetworkPrincipal): Promise<{ paid_bytes_provided: number; unpaid_bytes_provided: number }> {
    return this.stats.transferStats(p);
  }
}
