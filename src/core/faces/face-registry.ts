import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AbilityDeclaration } from '../auth/abilities.js';
import type { CredentialKind } from '../auth/principal.js';
import type { FaceDefinition, FaceName } from './face.js';

/** What the routing table knows about one route: its face and how it is accessed. */
export interface RouteInfo {
  method: string;
  /** The route's pattern as the router matches it (`/api/v2/barong/admin/users/:uid`). */
  path: string;
  /** The face the route declares (`@Face`); undeclared routes are served as the service face's. */
  face: FaceName | undefined;
  login: boolean;
  public: boolean;
  skipAccessControl: boolean;
  accepts?: readonly CredentialKind[];
  ability?: AbilityDeclaration;
  controller: string;
  handler: string;
}

export interface ResolvedRoute {
  info: RouteInfo | undefined;
  face: FaceDefinition;
}

const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

/** A route pattern as a regular expression over concrete paths (for upstream paths the gateway screens). */
function patternRegex(path: string): RegExp {
  const body = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`, 'i');
}

/**
 * The faces this service speaks and the routes each one owns. Faces register their definition at
 * start-up; the route table is read from controller metadata once the application is initialised.
 * Everything at the edge asks here instead of looking at path prefixes.
 */
@Injectable()
export class FaceRegistry {
  private readonly faces = new Map<FaceName, FaceDefinition>();
  private readonly routes = new Map<string, RouteInfo>();
  private loginRoutes: { method: string; pattern: RegExp }[] = [];
  private fallbackName: FaceName = 'service';

  register(face: FaceDefinition, options: { fallback?: boolean } = {}): void {
    if (this.faces.has(face.name)) throw new Error(`face ${face.name} is registered twice`);
    this.faces.set(face.name, face);
    if (options.fallback) this.fallbackName = face.name;
  }

  has(name: FaceName): boolean {
    return this.faces.has(name);
  }

  get(name: FaceName): FaceDefinition {
    const face = this.faces.get(name);
    if (!face) throw new Error(`face ${name} is not registered`);
    return face;
  }

  all(): FaceDefinition[] {
    return [...this.faces.values()];
  }

  /** The face of a path no route matched: the longest registered prefix, else the fallback face. */
  forPath(rawPath: string): FaceDefinition {
    const path = '/' + rawPath.split(/[?#]/)[0]!.replace(/^\/+/, '');
    let best: FaceDefinition | undefined;
    let bestLength = -1;
    for (const face of this.faces.values()) {
      for (const prefix of face.prefixes) {
        const matches = path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/');
        if (matches && prefix.length > bestLength) {
          best = face;
          bestLength = prefix.length;
        }
      }
    }
    return best ?? this.get(this.fallbackName);
  }

  /** The face of a request: the matched route's, else by path. */
  forRequest(req: Pick<FastifyRequest, 'method' | 'url'> & { routeOptions?: { url?: string } }): FaceDefinition {
    const pattern = req.routeOptions?.url;
    const route = pattern ? this.route(req.method, pattern) : undefined;
    return route ? this.get(route.face ?? 'service') : this.forPath(req.url ?? '/');
  }

  setRoutes(routes: RouteInfo[]): void {
    this.routes.clear();
    for (const route of routes) {
      const key = routeKey(route.method, route.path);
      if (this.routes.has(key)) throw new Error(`route ${key} is declared twice`);
      this.routes.set(key, route);
    }
    this.loginRoutes = routes.filter((r) => r.login).map((r) => ({ method: r.method, pattern: patternRegex(r.path) }));
  }

  /** The route a method and pattern name; an `@All` route answers for every method. */
  route(method: string, pattern: string): RouteInfo | undefined {
    return this.routes.get(routeKey(method, pattern)) ?? this.routes.get(routeKey('ALL', pattern));
  }

  /**
   * For hooks attached to one route as Fastify registers it (before the route table is read):
   * the route's info and face for a request method, resolved on first use and then remembered.
   */
  resolverFor(pattern: string): (method: string) => ResolvedRoute {
    const memo = new Map<string, ResolvedRoute>();
    return (method) => {
      let hit = memo.get(method);
      if (!hit) {
        const info = this.route(method, pattern);
        hit = { info, face: info ? this.get(info.face ?? 'service') : this.forPath(pattern) };
        if (this.routes.size) memo.set(method, hit);
      }
      return hit;
    };
  }

  routeList(): RouteInfo[] {
    return [...this.routes.values()];
  }

  /** Whether a concrete path (an upstream request the gateway screens) is one of this service's login routes. */
  isLoginPath(method: string, path: string): boolean {
    const concrete = '/' + path.replace(/^\/+/, '');
    return this.loginRoutes.some((r) => (r.method === method.toUpperCase() || r.method === 'ALL') && r.pattern.test(concrete));
  }
}
