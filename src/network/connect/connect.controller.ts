import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Allow } from 'class-validator';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { Face } from '../../core/faces/face.js';

export class ControlDto {
  @ApiPropertyOptional({ oneOf: [{ type: 'string', description: 'base64 (std, padded) of a protobuf Pack' }, { type: 'array', items: { type: 'string' } }] })
  @Allow()
  pack?: unknown;
}

export class ControlResultDto {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) pack: string | string[];
  @ApiProperty({ nullable: true, type: Object }) error: { message: string } | null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decode(value: unknown): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new AppError(422, 'pack.invalid_base64');
  return Buffer.from(value, 'base64');
}

@ApiTags('network connect')
@ApiBearerAuth()
@Face('network')
@Controller('connect')
export class ConnectController {
  /**
   * Out-of-band control frames of the connect protocol. This service runs no connect servers, so
   * there is nobody to deliver frames to: the frames are checked and the answer is an empty pack,
   * in the form the caller used (one string, as the Go client sends, or an array, as the seed shows).
   */
  @Post('control')
  @HttpCode(200)
  @ApiOperation({ summary: 'Connect control frames (client JWT); an empty pack when there is nothing to answer' })
  @ApiOkResponse({ type: ControlResultDto })
  control(@Body() body: ControlDto, @CurrentPrincipal() p: NetworkPrincipal): ControlResultDto {
    if (p.kind !== 'network_client') throw new AppError(401, 'network.not_authorized');
    const pack = body.pack;
    if (Array.isArray(pack)) {
      pack.forEach(decode);
      return { pack: [], error: null };
    }
    if (pack !== undefined && pack !== null) decode(pack);
    return { pack: '', error: null };
  }
}
