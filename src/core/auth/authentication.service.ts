import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { CredentialResolver } from './credential-resolver.js';
import type { CredentialKind, Principal } from './principal.js';

/**
 * The registry of credential resolvers. Modules that own a credential (sessions, API keys, JWTs,
 * tenant keys) register theirs at start-up; the guard and the gateway endpoint ask here.
 */
@Injectable()
export class AuthenticationService {
  private resolvers: CredentialResolver[] = [];

  register(resolver: CredentialResolver): void {
    this.resolvers = [...this.resolvers.filter((r) => r.kind !== resolver.kind), resolver].sort(
      (a, b) => a.priority - b.priority,
    );
  }

  /** The first present credential among the accepted kinds, verified; undefined when none is present. */
  async authenticate(req: FastifyRequest, accepts: readonly CredentialKind[]): Promise<Principal | undefined> {
    for (const resolver of this.resolvers) {
      if (!accepts.includes(resolver.kind) || !resolver.present(req)) continue;
      return resolver.resolve(req);
    }
    return undefined;
  }

  async require(req: FastifyRequest, accepts: readonly CredentialKind[]): Promise<Principal> {
    const principal = await this.authenticate(req, accepts);
    if (!principal) throw AppError.unauthorized('authz.invalid_session');
    return principal;
  }
}
