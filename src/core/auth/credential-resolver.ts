import type { FastifyRequest } from 'fastify';
import type { CredentialKind, Principal } from './principal.js';

/**
 * Turns one kind of credential on a request into a principal. `present` says whether the request
 * carries this credential at all; `resolve` verifies it and throws an AppError when it is bad.
 */
export interface CredentialResolver {
  readonly kind: CredentialKind;
  /** Lower runs first; the first resolver whose credential is present decides. */
  readonly priority: number;
  present(req: FastifyRequest): boolean;
  resolve(req: FastifyRequest): Promise<Principal>;
}
