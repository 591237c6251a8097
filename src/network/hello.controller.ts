import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../core/auth/decorators.js';
import { Face } from '../core/faces/face.js';

class HelloDto {
  @ApiProperty({ example: '203.0.113.7:51234' }) client_address: string;
}

@ApiTags('network hello')
@Face('network')
@Controller('hello')
export class HelloController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Connectivity probe: the caller address (a bearer is ignored)' })
  @ApiOkResponse({ type: HelloDto })
  hello(@Req() req: FastifyRequest): { client_address?: string } {
    const address = req.ip ? `${req.ip.includes(':') ? `[${req.ip}]` : req.ip}:${req.socket.remotePort ?? 0}` : '';
    return address ? { client_address: address } : {};
  }
}
