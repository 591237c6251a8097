import { Injectable } from '@nestjs/common';
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
}

/** Runs before authentication (restrictions: maintenance, blacklist, ...). Throws an AppError to refuse. */
export interface RequestScreen {
  readonly name: string;
  screen(req: AccessRequest): Promise<void>;
}

/** Runs after authentication (RBAC from the permissions table). Throws an AppError to refuse. */
export interface Authorizer {
  readonly name: string;
  authorize(principal: Principal, req: AccessRequest): Promise<void>;
}

/**
 * The access pipeline shared by the global guard (the service's own routes) and the gateway
 * endpoint (upstream routes): screens, then authentication, then authorizers. Modules register
 * their parts at start-up; order within each list is registration order.
 */
@Injectable()
export class AccessControl {
  private screens: RequestScreen[] = [];
  private authorizers: Authorizer[] = [];
  private roleCatalog: () => Promise<string[]> = async () => [];

  registerScreen(screen: RequestScreen): void {
    this.screens = [...this.screens.filter((s) => s.name !== screen.name), screen];
  }

  registerAuthorizer(authorizer: Authorizer): void {
    this.authorizers = [...this.authorizers.filter((a) => a.name !== authorizer.name), authorizer];
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

  async authorize(principal: Principal, req: AccessRequest): Promise<void> {
    for (const a of this.authorizers) await a.authorize(principal, req);
  }
}
