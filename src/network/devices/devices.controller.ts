import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Public } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { Face } from '../../core/faces/face.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { ClientsService } from '../clients/clients.service.js';
import { businessError } from '../common/business-error.js';
import { EmptyDto, ErrorDetailDto, Id, Str } from '../common/dto.js';
import { qrPng } from './device-codes.js';
import { DevicesService } from './devices.service.js';

export class AddDeviceDto {
  @Str('A share code or an adopt code', 512) code?: string;
}

export class AddDeviceResultDto {
  @ApiPropertyOptional({ enum: ['adopt', 'share'] }) code_type?: string;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() device_name?: string;
  @ApiPropertyOptional() duration_minutes?: number;
  @ApiPropertyOptional({ format: 'uuid' }) client_id?: string;
  @ApiPropertyOptional() associated_network_name?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class CreateShareCodeDto {
  @Id(undefined, true) client_id: string;
  @Str(undefined, 256) device_name?: string;
}

export class ShareCodeResultDto {
  @ApiPropertyOptional() share_code?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class ShareCodeDto {
  @Str(undefined, 512) share_code?: string;
}

export class CodeStatusDto {
  @ApiPropertyOptional() pending?: boolean;
  @ApiPropertyOptional() associated_network_name?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class ConfirmShareDto {
  @Str(undefined, 512) share_code?: string;
  @Str(undefined, 256) associated_network_name?: string;
}

export class AssociatedNameDto {
  @ApiPropertyOptional() associated_network_name?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class CreateAdoptCodeDto {
  @Str(undefined, 256) device_name?: string;
  @Str(undefined, 1024) device_spec?: string;
}

export class AdoptCodeResultDto {
  @ApiProperty() adopt_code: string;
  @ApiProperty({ description: 'At least 16 characters; keep it on the device' }) adopt_secret: string;
  @ApiProperty({ description: 'The same value as adopt_secret (what the 2024 server sent)' }) share_code: string;
  @ApiProperty() duration_minutes: number;
}

export class AdoptCodeDto {
  @Str(undefined, 512) adopt_code?: string;
  @Str(undefined, 512) adopt_secret?: string;
}

export class ConfirmAdoptDto extends AdoptCodeDto {
  @Str(undefined, 256) associated_network_name?: string;
}

export class ClientJwtResultDto {
  @ApiPropertyOptional() by_client_jwt?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

class PendingAdoptionDto {
  @ApiProperty() code: string;
  @ApiProperty() device_name: string;
  @ApiProperty() duration_minutes: number;
  @ApiProperty() pending: boolean;
}

class SharedDeviceDto {
  @ApiProperty() pending: boolean;
  @ApiProperty() code: string;
  @ApiProperty() device_name: string;
  @ApiProperty({ format: 'uuid' }) client_id: string;
  @ApiPropertyOptional() network_name?: string;
}

export class AssociationsDto {
  @ApiProperty({ type: [PendingAdoptionDto] }) pending_adoption_devices: PendingAdoptionDto[];
  @ApiProperty({ type: [SharedDeviceDto] }) incoming_shared_devices: SharedDeviceDto[];
  @ApiProperty({ type: [SharedDeviceDto] }) outgoing_shared_devices: SharedDeviceDto[];
}

export class CodeDto {
  @Str(undefined, 512) code?: string;
}

export class SetAssociationNameDto {
  @Str(undefined, 512) code?: string;
  @Str(undefined, 256) device_name?: string;
}

export class SetNameDto {
  @Id(undefined, true) device_id: string;
  @Str(undefined, 256) device_name?: string;
}

export class SetProvideDto {
  @Id(undefined, true) client_id: string;
  @ApiPropertyOptional({ minimum: -1, maximum: 3, description: '-1 default, 0 none, 1 network, 2 friends and family, 3 public' })
  @IsOptional()
  @IsInt({ message: 'provide_mode.invalid' })
  @Min(-1, { message: 'provide_mode.invalid' })
  @Max(3, { message: 'provide_mode.invalid' })
  provide_mode?: number;
}

export class SetProvideResultDto {
  @ApiPropertyOptional() provide_mode?: number;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

@ApiTags('network devices')
@Face('network')
@Controller('device')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly clients: ClientsService,
  ) {}

  @Post('add')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a share code or an adopt code to the caller network (10 per network per 30 minutes)' })
  @ApiOkResponse({ type: AddDeviceResultDto })
  add(@Body() body: AddDeviceDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<Record<string, unknown>> {
    return this.devices.add(p, body.code ?? '', meta);
  }

  @Post('create-share-code')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A code that shares one of the caller network\'s clients' })
  @ApiOkResponse({ type: ShareCodeResultDto })
  createShareCode(@Body() body: CreateShareCodeDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<{ share_code: string }> {
    return this.devices.createShareCode(p, body.client_id, body.device_name, meta);
  }

  @Get('share-code/:code/qr.png')
  @ApiBearerAuth()
  @ApiParam({ name: 'code', description: 'The share code (URL-encoded)' })
  @ApiProduces('image/png')
  @ApiOperation({ summary: 'The share code as a QR code (256×256 PNG of the add link)' })
  @ApiOkResponse({ description: 'image/png', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  async shareQr(@Param('code') code: string, @CurrentPrincipal() p: NetworkPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    if (!(await this.devices.canSeeShareCode(p, code))) throw new AppError(404, 'route.not_found');
    reply.header('content-type', 'image/png');
    return qrPng(code);
  }

  @Post('share-status')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Whether the share code was added and confirmed (owner only)' })
  @ApiOkResponse({ type: CodeStatusDto })
  shareStatus(@Body() body: ShareCodeDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, unknown>> {
    return this.devices.shareStatus(p, body.share_code ?? '');
  }

  @Post('confirm-share')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The owner confirms the network that added its share code' })
  @ApiOkResponse({ type: AssociatedNameDto })
  confirmShare(@Body() body: ConfirmShareDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<{ associated_network_name: string }> {
    return this.devices.confirmShare(p, body.share_code ?? '', body.associated_network_name ?? '', meta);
  }

  @Post('create-adopt-code')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'A code (and its secret) an unauthenticated device shows to be adopted; 15 minutes' })
  @ApiOkResponse({ type: AdoptCodeResultDto })
  createAdoptCode(@Body() body: CreateAdoptCodeDto): Promise<Record<string, unknown>> {
    return this.devices.createAdoptCode(body.device_name ?? '', body.device_spec ?? '');
  }

  @Get('adopt-code/:code/qr.png')
  @Public()
  @ApiParam({ name: 'code', description: 'The adopt code (URL-encoded)' })
  @ApiProduces('image/png')
  @ApiOperation({ summary: 'The adopt code as a QR code (256×256 PNG of the add link)' })
  @ApiOkResponse({ description: 'image/png', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  async adoptQr(@Param('code') code: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    if (!(await this.devices.adoptCodeExists(code))) throw new AppError(404, 'route.not_found');
    reply.header('content-type', 'image/png');
    return qrPng(code);
  }

  @Post('adopt-status')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Whether a network added the adopt code (needs the secret)' })
  @ApiOkResponse({ type: CodeStatusDto })
  adoptStatus(@Body() body: AdoptCodeDto): Promise<Record<string, unknown>> {
    return this.devices.adoptStatus(body.adopt_code ?? '', body.adopt_secret ?? '');
  }

  @Post('confirm-adopt')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'The device confirms the adopting network and receives a client JWT of it' })
  @ApiOkResponse({ type: ClientJwtResultDto })
  confirmAdopt(@Body() body: ConfirmAdoptDto, @Meta() meta: RequestMeta): Promise<{ by_client_jwt: string }> {
    return this.devices.confirmAdopt(body.adopt_code ?? '', body.adopt_secret ?? '', body.associated_network_name ?? '', meta);
  }

  @Post('remove-adopt-code')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'The device withdraws its unconfirmed adopt code (needs the secret)' })
  @ApiOkResponse({ type: EmptyDto })
  async removeAdoptCode(@Body() body: AdoptCodeDto): Promise<Record<string, never>> {
    await this.devices.removeAdoptCode(body.adopt_code ?? '', body.adopt_secret ?? '');
    return {};
  }

  @Get('associations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Pending adoptions and shared devices, in and out' })
  @ApiOkResponse({ type: AssociationsDto })
  associations(@CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, unknown>> {
    return this.devices.associations(p);
  }

  @Post('remove-association')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Remove an adoption (owner) or a share (owner or guest)' })
  @ApiOkResponse({ type: EmptyDto })
  async removeAssociation(@Body() body: CodeDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<Record<string, never>> {
    await this.devices.removeAssociation(p, body.code ?? '', meta);
    return {};
  }

  @Post('set-association-name')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller network\'s own name for an associated device' })
  @ApiOkResponse({ type: EmptyDto })
  async setAssociationName(@Body() body: SetAssociationNameDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, never>> {
    await this.devices.setAssociationName(p, body.code ?? '', body.device_name ?? '');
    return {};
  }

  @Post('set-name')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Rename a device of the caller network' })
  @ApiOkResponse({ type: EmptyDto })
  async setName(@Body() body: SetNameDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, never>> {
    if (!(await this.clients.setDeviceName(p.networkId, body.device_id, body.device_name ?? ''))) throw businessError('Device does not exist.');
    return {};
  }

  @Post('set-provide')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set a client\'s provide mode (-1..3, 3 = public)' })
  @ApiOkResponse({ type: SetProvideResultDto })
  async setProvide(@Body() body: SetProvideDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<{ provide_mode: number }> {
    const mode = body.provide_mode ?? -1;
    if (!(await this.clients.setProvideMode(p.networkId, body.client_id, mode))) throw businessError('Client does not exist.');
    return { provide_mode: mode };
  }
}
