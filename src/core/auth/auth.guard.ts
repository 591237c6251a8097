import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationService } from './authentication.service.js';
import { ACCEPTS, AuthedRequest, IS_PUBLIC } from './decorators.js';
import type { CredentialKind } from './principal.js';

const DEFAULT_ACCEPTS: CredentialKind[] = ['session', 'jwt', 'api_key'];

/** Global: every route needs a principal unless marked @Public(). Public routes still see one if sent. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const accepts = this.reflector.getAllAndOverride<CredentialKind[]>(ACCEPTS, targets) ?? DEFAULT_ACCEPTS;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      req.principal = await this.auth.authenticate(req, accepts).catch(() => undefined);
      return true;
    }
    req.principal = await this.auth.require(req, accepts);
    return true;
  }
}
