import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { CredentialKind, Principal } from './principal.js';

export const IS_PUBLIC = 'auth:public';
export const ACCEPTS = 'auth:accepts';
export const SKIP_ACCESS_CONTROL = 'auth:skip-access-control';
export const SELF_AUDITED = 'auth:self-audited';

/** The route needs no credentials. Every route is authenticated unless it says this. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The route runs its own access pipeline (the gateway endpoint, the whitelink redemption): the
 * guard neither screens, authenticates nor authorizes it.
 */
export const SkipAccessControl = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_ACCESS_CONTROL, true);

/** The handler records its own admin activity (in its transaction); AUDIT rules add none. */
export const SelfAudited = (): MethodDecorator & ClassDecorator => SetMetadata(SELF_AUDITED, true);

/** Which credentials the route accepts (default: session, jwt, api_key). */
export const Accepts = (...kinds: CredentialKind[]): MethodDecorator & ClassDecorator => SetMetadata(ACCEPTS, kinds);

export interface AuthedRequest extends FastifyRequest {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw AppError.unauthorized('authz.invalid_session');
  return principal;
});

/** The principal, which must be a person (not a service account or a tenant key): 401 otherwise. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal || principal.kind !== 'user') throw AppError.unauthorized('authz.invalid_session');
  return principal;
});
