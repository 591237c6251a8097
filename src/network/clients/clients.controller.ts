import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { jsonText } from '../../core/http/json-text.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { tokenFactsOf } from '../auth/network-credential.resolver.js';
import { NetworkTokens } from '../auth/network-tokens.service.js';
import { businessError } from '../common/business-error.js';
import { EmptyDto } from '../common/dto.js';
import { goTime } from '../common/go-time.js';
import { AuthClientDto, AuthClientResultDto, ClientInfoDto, ClientsResultDto, RefreshResultDto, RemoveClientDto } from './clients.dto.js';
import { ClientsService, type ClientView, PUBLIC_PROVIDE_MODE } from './clients.service.js';

function clientInfo({ client, device }: ClientView): ClientInfoDto {
  return {
    client_id: client.id,
    device_id: client.deviceId,
    network_id: client.networkId,
    description: client.description,
    device_name: device?.name ?? '',
    device_spec: client.deviceSpec,
    create_time: goTime(client.createdAt),
    auth_time: goTime(client.authTime),
    provide_mode: client.provideMode === PUBLIC_PROVIDE_MODE ? PUBLIC_PROVIDE_MODE : null,
    connections: [],
  };
}

@ApiTags('network clients')
@ApiBearerAuth()
@Face('network')
@Controller()
export class ClientsController {
  private readonly rendered = new WeakMap<readonly ClientView[], string>();

  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: NetworkTokens,
  ) {}

  @Post('network/auth-client')
  @HttpCode(200)
  @ApiOperation({ summary: 'A client JWT for a new client (or an existing one with client_id); at most 128 clients per network' })
  @ApiOkResponse({ type: AuthClientResultDto })
  authClient(@Body() body: AuthClientDto, @CurrentPrincipal() p: NetworkPrincipal, @Req() req: FastifyRequest, @Meta() meta: RequestMeta): Promise<{ by_client_jwt: string; client_id: string }> {
    const facts = tokenFactsOf(req);
    return this.clients.authClient(p, this.tokens.subjectOf(p, facts.sid, facts.createTime), { clientId: body.client_id, description: body.description, deviceSpec: body.device_spec }, meta);
  }

  @Post('network/remove-client')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a client of the caller network (its JWT stops working)' })
  @ApiOkResponse({ type: EmptyDto })
  async removeClient(@Body() body: RemoveClientDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<Record<string, never>> {
    await this.clients.removeClient(p, body.client_id, meta);
    return {};
  }

  @Get('network/clients')
  @ApiOperation({ summary: 'The active clients of the caller network' })
  @ApiOkResponse({ type: ClientsResultDto })
  async list(@CurrentPrincipal() p: NetworkPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const views = await this.clients.list(p.networkId);
    // The list is cached for a moment and polled by every client of the network: rendered once per cached list.
    let json = this.rendered.get(views);
    if (json === undefined) this.rendered.set(views, (json = JSON.stringify({ clients: views.map(clientInfo) })));
    return jsonText(reply, json);
  }

  @Get('auth/refresh')
  @ApiOperation({ summary: 'A fresh client JWT for the same client and device (the apps call it at half the lifetime)' })
  @ApiOkResponse({ type: RefreshResultDto })
  async refresh(@CurrentPrincipal() p: NetworkPrincipal, @Req() req: FastifyRequest): Promise<{ by_jwt: string }> {
    if (p.kind !== 'network_client') throw businessError('Client ID is required for token refresh.');
    const facts = tokenFactsOf(req);
    return { by_jwt: await this.tokens.clientJwt(this.tokens.subjectOf(p, facts.sid, facts.createTime), { clientId: p.clientId, deviceId: p.deviceId }) };
  }
}
