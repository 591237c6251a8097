import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetailDto, Id, Str } from '../common/dto.js';

export class AuthClientDto {
  @Id('Re-authenticate this existing client') client_id?: string;
  @Str('Becomes the device name and the client description', 256) description?: string;
  @Str(undefined, 1024) device_spec?: string;
  @Id('Accepted and ignored (no server version implements it)') derived_client_id?: string;
}

class ClientErrorDto extends ErrorDetailDto {
  @ApiProperty() client_limit_exceeded: boolean;
}

export class AuthClientResultDto {
  @ApiPropertyOptional() by_client_jwt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) client_id?: string;
  @ApiPropertyOptional({ type: ClientErrorDto }) error?: ClientErrorDto;
}

export class RemoveClientDto {
  @Id(undefined, true) client_id: string;
}

class ConnectionDto {
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiProperty({ format: 'uuid' }) connection_id: string;
  @ApiProperty() connect_time: string;
  @ApiPropertyOptional() disconnect_time?: string;
  @ApiProperty() connection_host: string;
  @ApiProperty() connection_service: string;
  @ApiProperty() connection_block: string;
}

export class ClientInfoDto {
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiProperty({ format: 'uuid' }) device_id: string;
  @ApiProperty({ format: 'uuid' }) network_id: string;
  @ApiProperty() description: string;
  @ApiProperty() device_name: string;
  @ApiProperty() device_spec: string;
  @ApiProperty({ description: 'RFC 3339' }) create_time: string;
  @ApiProperty({ description: 'RFC 3339' }) auth_time: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Only 3 (public) is reported, otherwise null' }) provide_mode: number | null;
  @ApiProperty({ type: [ConnectionDto] }) connections: ConnectionDto[];
}

export class ClientsResultDto {
  @ApiProperty({ type: [ClientInfoDto] }) clients: ClientInfoDto[];
}

export class RefreshResultDto {
  @ApiPropertyOptional() by_jwt?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}
