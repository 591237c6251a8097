import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AccessControl, type AccessRequest, type Authorizer } from '../../core/auth/access-control.js';
import { isBarongPrincipal, type BarongPrincipal, type Principal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import type { ActivityResult } from '../../core/audit/activity.entity.js';
import { ActivitiesService, scrubSecrets } from '../../core/audit/activities.service.js';
import { activityAction, activityTopic } from './permission-matcher.js';
import { PermissionsService } from './permissions.service.js';
import { DecisionStats } from './decision-stats.js';

/** Longest values the activities table holds in these columns. */
const MAX_TOPIC = 64;
const MAX_TARGET_UID = 16;
const MAX_IP = 64;

/**
 * The service's own faces that Barong never puts through RBAC: the gateway passes them (authz
 * pass list) and the identity API checks its session itself (e.g. logout).
 */
export const UNGUARDED_PREFIXES: readonly string[] = ['api/v2/barong/identity', 'api/v2/barong/public'];

/**
 * Barong's RBAC (reference §2) for every authenticated request of the service's own routes and of
 * the gateway endpoint: deny with 401 authz.invalid_permission unless the principal's role has an
 * ACCEPT and no DROP for the verb and path. User principals' denials, and their allowed requests
 * that match an AUDIT rule, are written to the admin activity log; service accounts never are.
 * Tenant secret keys (principal kind `app`) are scoped by the /v1 face itself and are not checked
 * against Barong roles; neither are Barong's identity and public faces (see UNGUARDED_PREFIXES).
 */
@Injectable()
export class PermissionsAuthorizer implements Authorizer, OnModuleInit {
  readonly name = 'permissions';
  readonly order = 10;
  readonly policies = ['permissions'] as const;
  private readonly logger = new Logger('Permissions');

  constructor(
    private readonly access: AccessControl,
    private readonly permissions: PermissionsService,
    private readonly activities: ActivitiesService,
    private readonly stats: DecisionStats,
  ) {}

  onModuleInit(): void {
    this.access.registerAuthorizer(this);
    this.access.registerRoleCatalog(async () => this.permissions.roles());
  }

  async authorize(principal: Principal, req: AccessRequest): Promise<void> {
    if (!isBarongPrincipal(principal) || UNGUARDED_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`))) return;
    const decision = this.permissions.decide(principal.role, req.method, req.path);
    this.stats.record(principal.role, req.method, req.path);
    if (!decision.allowed) {
      if (principal.kind === 'user') {
        // The refusal stands even if the log write fails.
        await this.log(principal, req, 'denied', null).catch((err: unknown) => this.logger.error(`cannot record a denied request: ${String(err)}`));
      }
      throw AppError.unauthorized('authz.invalid_permission');
    }
    if (decision.audit && principal.kind === 'user' && !req.selfAudited) {
      await this.log(principal, req, 'succeed', decision.auditTopic);
    }
  }

  private log(principal: BarongPrincipal, req: AccessRequest, result: ActivityResult, ruleTopic: string | null): Promise<void> {
    const params = req.params ?? {};
    const target = params.uid ?? params.user_uid;
    return this.activities.record({
      userId: principal.id,
      category: 'admin',
      topic: activityTopic(req.path, ruleTopic).slice(0, MAX_TOPIC),
      action: activityAction(req.method),
      result,
      meta: { ip: String(req.ip ?? '').slice(0, MAX_IP), userAgent: String(req.userAgent ?? '').slice(0, 1024) },
      targetUid: typeof target === 'string' && target && target.length <= MAX_TARGET_UID ? target : null,
      data: scrubSecrets(params),
    });
  }
}
