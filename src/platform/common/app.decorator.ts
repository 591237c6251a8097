import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthedRequest } from '../../core/auth/decorators.js';
import { unauthorized } from './errors.js';

/** The id of the tenant app that called (from its secret key, or its public token where accepted). */
export function callerAppOf(req: AuthedRequest): string {
  const principal = req.principal;
  if (principal?.kind !== 'app') throw unauthorized('unauthorized_credentials');
  return principal.appId;
}

/** The id of the tenant app that called, as a handler parameter. */
export const CallerApp = createParamDecorator((_: unknown, ctx: ExecutionContext): string => callerAppOf(ctx.switchToHttp().getRequest<AuthedRequest>()));
