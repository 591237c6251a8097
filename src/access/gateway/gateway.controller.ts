import { All, Controller, HttpCode, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessPath } from '../../core/auth/access-path.js';
import { Public, SkipAccessControl } from '../../core/auth/decorators.js';
import { GatewayService } from './gateway.service.js';
import { Face } from '../../core/faces/face.js';

export const GATEWAY_PREFIX = '/api/v2/auth';

/** The upstream path as Barong's rules are written: after /api/v2/auth/, normalised as for the service's own routes. */
export function capturedPath(url: string | undefined): string {
  const raw = (url ?? '/').split('?')[0]!;
  return accessPath(raw.startsWith(GATEWAY_PREFIX) ? raw.slice(GATEWAY_PREFIX.length) : raw);
}

/**
 * Barong's authz endpoint for edge proxies (Envoy ext_authz, nginx auth_request, Traefik
 * forwardAuth): the proxy sends every inbound request here as /api/v2/auth/<original path> with
 * the original method, headers and cookies. 200 means pass; the Authorization header, when present,
 * goes upstream. In the running service GatewayFastPath answers these requests before the router;
 * this controller documents the route and answers it when that hook is not installed.
 */
@ApiTags('gateway')
@Public()
@SkipAccessControl()
@Face('gateway')
@Controller()
export class GatewayController {
  constructor(private readonly gateway: GatewayService) {}

  @All('api/v2/auth/*')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Authorize an upstream request (any HTTP method)',
    description:
      'Pipeline: restrictions, block list, OPTIONS, pass list, authentication (X-Auth-Apikey/Nonce/Signature, else the ' +
      'session cookie with X-CSRF-Token on writes), user state, permissions. Pass-list and OPTIONS answers carry no ' +
      'Authorization header.',
  })
  @ApiParam({ name: 'path', description: 'The upstream path, e.g. api/v2/barong/resource/users/me' })
  @ApiHeader({ name: 'X-CSRF-Token', required: false, description: 'Required with the session cookie on POST/PUT/PATCH/DELETE' })
  @ApiOkResponse({ description: 'Allowed; empty body. `Authorization: Bearer <JWT>` header unless the path is on the pass list' })
  @ApiUnauthorizedResponse({
    description:
      'authz.permission_denied, authz.invalid_session, authz.missing_csrf_token, authz.csrf_token_mismatch, ' +
      'authz.client_session_mismatch, authz.user_not_active, authz.invalid_permission, authz.unexistent_apikey, ' +
      'authz.nonce_not_valid_timestamp, authz.nonce_expired, authz.invalid_signature, authz.apikey_not_active, ' +
      'authz.disabled_2fa; restrictions answer with their own status (authz.restrict.*)',
  })
  @ApiUnprocessableEntityResponse({ description: 'authz.invalid_api_key_headers' })
  async authorize(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const decision = await this.gateway.decide(req, capturedPath(req.url));
    if (!decision.pass) reply.header('authorization', decision.authorization);
  }

  /** `/api/v2/auth` alone: the empty path, decided the same way. */
  @All('api/v2/auth')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async authorizeRoot(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.authorize(req, reply);
  }
}
