import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessControl, AccessRequest } from './access-control.js';
import { accessPath } from './access-path.js';
import { AuthenticationService } from './authentication.service.js';
import { ACCEPTS, AuthedRequest, IS_PUBLIC, SELF_AUDITED, SKIP_ACCESS_CONTROL } from './decorators.js';
import { ABILITY_METADATA, assertAbility, type AbilityDeclaration } from './abilities.js';
import { isBarongPrincipal, type CredentialKind } from './principal.js';
import { AppError } from '../http/app-error.js';
import { FACE_METADATA, LOGIN_ROUTE, type FaceName } from '../faces/face.js';
import { FaceRegistry } from '../faces/face-registry.js';

export function accessRequestOf(req: AuthedRequest): AccessRequest {
  const params: Record<string, unknown> = { ...(req.query as object) };
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) Object.assign(params, req.body);
  return {
    method: req.method,
    path: accessPath(req.url ?? '/'),
    ip: req.ip,
    params,
    userAgent: String(req.headers['user-agent'] ?? ''),
  };
}

/**
 * Global, and the only guard: screens every request (restrictions), authenticates it, and
 * authorizes it against the permissions table. Routes are authenticated unless marked @Public();
 * public routes are screened and still see a principal when one is sent.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthenticationService,
    private readonly access: AccessControl,
    private readonly faces: FaceRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_ACCESS_CONTROL, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const face = this.faces.get(this.reflector.getAllAndOverride<FaceName>(FACE_METADATA, targets) ?? 'service');
    const accessRequest = accessRequestOf(req);
    accessRequest.face = face.name;
    accessRequest.policy = face.accessPolicy;
    accessRequest.login = this.reflector.getAllAndOverride<boolean>(LOGIN_ROUTE, targets) ?? false;
    await this.access.screen(accessRequest);
    const accepts = this.reflector.getAllAndOverride<CredentialKind[]>(ACCEPTS, targets) ?? face.accepts;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      req.principal = await this.auth.authenticate(req, accepts).catch(() => undefined);
      return true;
    }
    req.principal = await this.auth.require(req, accepts);
    accessRequest.selfAudited = this.reflector.getAllAndOverride<boolean>(SELF_AUDITED, targets) ?? false;
    await this.access.authorize(req.principal, accessRequest);
    const ability = this.reflector.getAllAndOverride<AbilityDeclaration>(ABILITY_METADATA, targets);
    if (ability && ability !== 'none') {
      if (!isBarongPrincipal(req.principal)) throw AppError.unauthorized('admin.ability.not_permitted');
      assertAbility(req.principal.role, ability.action, ability.subject);
    }
    return true;
  }
}
