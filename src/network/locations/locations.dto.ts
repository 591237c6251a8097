import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { Bool, ErrorDetailDto, Id, Int, Num, Str } from '../common/dto.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export class FindLocationsDto {
  @Str(undefined, 256) query?: string;
  @Num('Allowed edits as a fraction of the query length (default 0.2)') max_distance_fraction?: number;
  @Bool() enable_max_distance_fraction?: boolean;
}

export class LocationGroupDto {
  @ApiProperty({ format: 'uuid' }) location_group_id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() provider_count?: number;
  @ApiPropertyOptional() promoted?: boolean;
  @ApiPropertyOptional() match_distance?: number;
}

export class LocationDto {
  @ApiProperty({ format: 'uuid' }) location_id: string;
  @ApiProperty({ enum: ['city', 'region', 'country'] }) location_type: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ format: 'uuid' }) city_location_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) region_location_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) country_location_id?: string;
  @ApiProperty() country_code: string;
  @ApiPropertyOptional() provider_count?: number;
  @ApiPropertyOptional() match_distance?: number;
}

export class LocationDeviceDto {
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiProperty() device_name: string;
}

export class LocationsResultDto {
  @ApiProperty({ type: [LocationGroupDto] }) groups: LocationGroupDto[];
  @ApiProperty({ type: [LocationDto] }) locations: LocationDto[];
  @ApiProperty({ type: [LocationDeviceDto] }) devices: LocationDeviceDto[];
}

export class FindProvidersDto {
  @Id() location_id?: string;
  @Id() location_group_id?: string;
  @Int() count?: number;
  @ApiPropertyOptional({ type: [String], description: 'Client ids to leave out' })
  @IsOptional()
  @IsArray({ message: 'invalid_array' })
  @IsString({ each: true, message: 'invalid_id' })
  @Matches(UUID, { each: true, message: 'invalid_id' })
  exclude_location_ids?: string[];
}

export class FindProvidersResultDto {
  @ApiProperty({ type: [String] }) client_ids: string[];
}

export class ProviderSpecDto {
  @Id() location_id?: string;
  @Id() location_group_id?: string;
  @Id() client_id?: string;
  @Bool() best_available?: boolean;
}

export class FindProviders2Dto {
  @ApiPropertyOptional({ type: [ProviderSpecDto] })
  @IsOptional()
  @IsArray({ message: 'invalid_array' })
  @ValidateNested({ each: true })
  @Type(() => ProviderSpecDto)
  specs?: ProviderSpecDto[];

  @Int('Default 10') count?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'invalid_array' })
  @IsString({ each: true, message: 'invalid_id' })
  @Matches(UUID, { each: true, message: 'invalid_id' })
  exclude_client_ids?: string[];

  @ApiPropertyOptional({ type: 'array', items: { type: 'array', items: { type: 'string', format: 'uuid' } }, description: 'Multi-hop paths; the last id is the destination' })
  @IsOptional()
  @IsArray({ message: 'invalid_array' })
  exclude_destinations?: string[][];
}

export class ProviderDto {
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiProperty() estimated_bytes_per_second: number;
}

export class FindProviders2ResultDto {
  @ApiProperty({ type: [ProviderDto] }) providers: ProviderDto[];
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class CreateProviderSpecDto {
  @Str(undefined, 256) query?: string;
}

export class CreateProviderSpecResultDto {
  @ApiProperty({ type: [ProviderSpecDto] }) specs: ProviderSpecDto[];
}
