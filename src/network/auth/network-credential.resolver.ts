import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import type { CredentialResolver } from '../../core/auth/credential-resolver.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { NETWORK_JWT_ISSUER, NetworkTokens } from './network-tokens.service.js';

const TOKEN_FACTS = Symbol('network-token-facts');

/** What a verified token said beyond the principal (for minting derived tokens). */
export interface TokenFacts {
  sid: string;
  createTime: Date;
}

export function tokenFactsOf(req: FastifyRequest): TokenFacts {
  const facts = (req as unknown as { [TOKEN_FACTS]?: TokenFacts })[TOKEN_FACTS];
  if (!facts) throw new AppError(401, 'network.not_authorized');
  return facts;
}

/** `Authorization: Bearer <network JWT>`: admin and client tokens of the network face. */
@Injectable()
export class NetworkCredentialResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'network_jwt' as const;
  readonly priority = 25;

  constructor(
    private readonly auth: AuthenticationService,
    private readonly tokens: NetworkTokens,
  ) {}

  onModuleInit(): void {
    this.auth.register(this);
    this.auth.registerJwtIssuer(NETWORK_JWT_ISSUER, this.kind);
  }

  present(req: FastifyRequest): boolean {
    return this.auth.bearerKind(req) === this.kind;
  }

  async resolve(req: FastifyRequest): Promise<NetworkPrincipal> {
    const verified = await this.tokens.verify(this.auth.bearerToken(req) ?? '');
    if (!verified) throw new AppError(401, 'network.not_authorized');
    (req as unknown as { [TOKEN_FACTS]?: TokenFacts })[TOKEN_FACTS] = { sid: verified.sid, createTime: verified.createTime };
    return verified.principal;
  }
}
