import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Id } from '../common/dto.js';

const SERIES = { type: 'object', additionalProperties: { type: 'number' } } as const;

export class Last90Dto {
  @ApiProperty() lookback: number;
  @ApiProperty({ description: 'unix milliseconds' }) created_time: number;
  @ApiProperty(SERIES) all_transfer_data: Record<string, number>;
  @ApiProperty() all_transfer_summary: number;
  @ApiProperty() all_transfer_summary_rate: number;
  @ApiProperty(SERIES) all_packets_data: Record<string, number>;
  @ApiProperty() all_packets_summary: number;
  @ApiProperty() all_packets_summary_rate: number;
  @ApiProperty(SERIES) providers_data: Record<string, number>;
  @ApiProperty(SERIES) providers_superspeed_data: Record<string, number>;
  @ApiProperty() providers_summary: number;
  @ApiProperty() providers_summary_superspeed: number;
  @ApiProperty(SERIES) countries_data: Record<string, number>;
  @ApiProperty() countries_summary: number;
  @ApiProperty(SERIES) regions_data: Record<string, number>;
  @ApiProperty() regions_summary: number;
  @ApiProperty(SERIES) cities_data: Record<string, number>;
  @ApiProperty() cities_summary: number;
  @ApiProperty(SERIES) extender_transfer_data: Record<string, number>;
  @ApiProperty() extender_transfer_summary: number;
  @ApiProperty() extender_transfer_summary_rate: number;
  @ApiProperty(SERIES) extenders_data: Record<string, number>;
  @ApiProperty(SERIES) extenders_superspeed_data: Record<string, number>;
  @ApiProperty() extenders_summary: number;
  @ApiProperty() extenders_summary_superspeed: number;
  @ApiProperty(SERIES) networks_data: Record<string, number>;
  @ApiProperty() networks_summary: number;
  @ApiProperty(SERIES) devices_data: Record<string, number>;
  @ApiProperty() devices_summary: number;
}

class ConnectedEventDto {
  @ApiProperty() event_time: string;
  @ApiProperty() connected: boolean;
}

class ProviderStatsDto {
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiProperty() connected: boolean;
  @ApiProperty({ type: [ConnectedEventDto] }) connected_events_last_24h: ConnectedEventDto[];
  @ApiProperty({ description: 'hours' }) uptime_last_24h: number;
  @ApiProperty({ description: 'GiB' }) transfer_data_last_24h: number;
  @ApiProperty({ description: 'USD' }) payout_last_24h: number;
  @ApiProperty() search_interest_last_24h: number;
  @ApiProperty() contracts_last_24h: number;
  @ApiProperty() clients_last_24h: number;
  @ApiProperty() provide_mode: number;
}

export class ProvidersDto {
  @ApiProperty() created_time: string;
  @ApiProperty({ type: [ProviderStatsDto] }) providers: ProviderStatsDto[];
}

export class ProviderLast90Dto {
  @Id(undefined, true) client_id: string;
}

class ClientDetailDto {
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiProperty(SERIES) transfer_data: Record<string, number>;
}

export class ProvidersOverviewDto {
  @ApiProperty() lookback: number;
  @ApiProperty() created_time: string;
  @ApiProperty(SERIES) uptime: Record<string, number>;
  @ApiProperty(SERIES) transfer_data: Record<string, number>;
  @ApiProperty(SERIES) payout: Record<string, number>;
  @ApiProperty(SERIES) search_interest: Record<string, number>;
  @ApiProperty(SERIES) contracts: Record<string, number>;
  @ApiProperty(SERIES) clients: Record<string, number>;
}

export class ProviderLast90ResultDto extends ProvidersOverviewDto {
  @ApiPropertyOptional({ type: [ClientDetailDto] }) client_details?: ClientDetailDto[];
}

export class TransferStatsDto {
  @ApiProperty() paid_bytes_provided: number;
  @ApiProperty() unpaid_bytes_provided: number;
}
