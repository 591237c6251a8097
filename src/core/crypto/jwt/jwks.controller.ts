import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/decorators.js';
import { JwtService } from './jwt.service.js';
import { Face } from '../../faces/face.js';

class JwksDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'RFC 7517 public keys (kid, alg, use=sig)' })
  keys: Record<string, unknown>[];
}

@ApiTags('jwt')
@Public()
@Face('service')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly jwt: JwtService) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOkResponse({ type: JwksDto, description: 'Keys that verify the JWTs this service issues' })
  jwks(): JwksDto {
    return this.jwt.jwks();
  }
}
