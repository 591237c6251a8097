import { Injectable } from '@nestjs/common';
import type { AccessPolicy, FaceName } from '../faces/face.js';
import type { Principal } from './principal.js';

/** A request as access control sees it: path without the leading slash, as Barong's rules are written. */
export interface AccessRequest {
  method: string;
  path: string;
  ip: string;
  /** Request parameters (query and body), for audit records. */
  params?: Record<string, unknown>;
  userAgent?: string;
  /** The route writes its own admin activity in its transaction, so AUDIT rules must not add another. */
  selfAudited?: boolean;
  /** The route signs someone in (blocklogin restrictions and login throttles apply). */
  login?: boolean;
  /** The face the request belongs to, and the access policy it sets. */
  face?: FaceName;
  policy?: AccessPolicy;
}

/** Runs before authentication (restrictions: maintenance, blacklist, ...). Throws an AppError to refuse. */
export interface RequestScreen {
  readonly name: string;
  /** Lower runs first. */
  readonly order: number;
  screen(req: AccessRequest): Promise<void>;
}

/** Runs after authentication, on the faces whose access policy it serves. Throws an AppError to refuse. */
export interface Authorizer {
  readonly name: string;
  /** Lower runs first. */
  readonly order: number;
  readonly policies: readonly AccessPolicy[];
  authorize(principal: Principal, req: AccessRequest): Promise<void>;
}

function insertOrdered<T extends { name: string; order: number }>(list: readonly T[], item: T, what: string): T[] {
  if (list.some((x) => x.name === item.name)) throw new Error(`${what} ${item.name} is registered twice`);
  return [...list, item].sort((a, b) => a.order - b.order);
}

/**
 * The access pipeline shared by the global guard (the service's own routes) and the gateway
 * endpoint (upstream routes): screens, then authentication, then the authorizers of the face's
 * access policy. Modules register their parts at start-up, each with an explicit order; a name
 * registered twice stops the start.
 */
@Injectable()
export class AccessControl {
  private screens: RequestScreen[] = [];
  private authorizers: Authorizer[] = [];
  private roleCatalog: () => Promise<string[]> = async () => [];

  registerScreen(screen: RequestScreen): void {
    this.screens = insertOrdered(this.screens, screen, 'request screen');
  }

  registerAuthorizer(authorizer: Authorizer): void {
    this.authorizers = insertOrdered(this.authorizers, authorizer, 'authorizer');
  }

  /** The permissions module tells which roles exist (the distinct roles of its table). */
  registerRoleCatalog(catalog: () => Promise<string[]>): void {
    this.roleCatalog = catalog;
  }

  roles(): Promise<string[]> {
    return this.roleCatalog();
  }

  async screen(req: AccessRequest): Promise<void> {
    for (const s of this.screens) await s.screen(req);
  }

  /** Runs the authorizers of the request's access policy (Barong's permissions table unless the face says otherwise). */
  async authorize(principal: Principal, req: AccessRequest): Promise<void> {
    const policy = req.policy ?? 'permissions';
    for (const a of this.authorizers) if (a.policies.includes(policy)) await a.authorize(principal, req);
  }
}
