import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessControl, AccessRequest } from './access-control.js';
import { accessPath } from './access-path.js';
import { AuthenticationService } from './authentication.service.js';
import { ACCEPTS, AuthedRequest, IS_PUBLIC, SELF_AUDITED, SKIP_ACCESS_CONTROL } from './decorators.js';
import { ABILITY_METADATA, assertAbility, type AbilityDeclaration } from './abilities.js';
import { isBarongPrincipal, type CredentialKind } from './principal.js';
import { AppError } from '../http/app-error.js';
import { FACE_METADATA, LOGIN_ROUTE, type FaceDefinition, type FaceName } from '../faces/face.js';
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

/** What a route's decorators say about its access, read from metadata once per handler. */
interface RoutePlan {
  skip: boolean;
  face: FaceDefinition;
  login: boolean;
  accepts: readonly CredentialKind[];
  public: boolean;
  selfAudited: boolean;
  ability: AbilityDeclaration | undefined;
}

/**
 * Global, and the only guard: screens every request (restrictions), authenticates it, and
 * authorizes it against the permissions table. Routes are authenticated unless marked @Public();
 * public routes are screened and still see a principal when one is sent.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly plans = new WeakMap<object, RoutePlan>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthenticationService,
    private readonly access: AccessControl,
    private readonly faces: FaceRegistry,
  ) {}

  private planOf(context: ExecutionContext): RoutePlan {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (!plan) {
      const targets = [handler, context.getClass()];
      const meta = <T>(key: string): T | undefined => this.reflector.getAllAndOverride<T>(key, targets);
      const face = this.faces.get(meta<FaceName>(FACE_METADATA) ?? 'service');
      plan = {
        skip: meta<boolean>(SKIP_ACCESS_CONTROL) ?? false,
        face,
        login: meta<boolean>(LOGIN_ROUTE) ?? false,
        accepts: meta<CredentialKind[]>(ACCEPTS) ?? face.accepts,
        public: meta<boolean>(IS_PUBLIC) ?? false,
        selfAudited: meta<boolean>(SELF_AUDITED) ?? false,
        ability: meta<AbilityDeclaration>(ABILITY_METADATA),
      };
      this.plans.set(handler, plan);
    }
    return plan;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const plan = this.planOf(context);
    if (plan.skip) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const accessRequest = accessRequestOf(req);
    accessRequest.face = plan.face.name;
    accessRequest.policy = plan.face.accessPolicy;
    accessRequest.login = plan.login;
    await this.access.screen(accessRequest);
    if (plan.public) {
      req.principal = await this.auth.authenticate(req, plan.accepts).catch(() => undefined);
      return true;
    }
    req.principal = await this.auth.require(req, plan.accepts);
    accessRequest.selfAudited = plan.selfAudited;
    await this.access.authorize(req.principal, accessRequest);
    const ability = plan.ability;
    if (ability && ability !== 'none') {
      if (!isBarongPrincipal(req.principal)) throw AppError.unauthorized('admin.ability.not_permitted');
      assertAbility(req.principal.role, ability.action, ability.subject);
    }
    return true;
  }
}
