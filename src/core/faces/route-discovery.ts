import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ABILITY_METADATA, type AbilityDeclaration } from '../auth/abilities.js';
import { ACCEPTS, IS_PUBLIC, SKIP_ACCESS_CONTROL } from '../auth/decorators.js';
import type { CredentialKind } from '../auth/principal.js';
import { FACE_METADATA, LOGIN_ROUTE, type FaceName } from './face.js';
import type { RouteInfo } from './face-registry.js';

const clean = (path: string): string => ('/' + path).replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value ?? '')]);

/** Reads every controller route's metadata (path, verb, face, access) the way Nest registers the routes. */
export function discoverRoutes(app: INestApplicationContext): RouteInfo[] {
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!type || !wrapper.instance) continue;
      const prototype = Object.getPrototypeOf(wrapper.instance) as object;
      const base = asList(Reflect.getMetadata(PATH_METADATA, type));
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as object;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPaths === undefined) continue;
        const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'GET';
        const meta = <T>(key: string): T | undefined => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, type)) as T | undefined;
        for (const prefix of base) {
          for (const sub of asList(methodPaths)) {
            routes.push({
              method: verb,
              path: clean(`${prefix}/${sub}`),
              face: meta<FaceName>(FACE_METADATA),
              login: meta<boolean>(LOGIN_ROUTE) ?? false,
              public: meta<boolean>(IS_PUBLIC) ?? false,
              skipAccessControl: meta<boolean>(SKIP_ACCESS_CONTROL) ?? false,
              accepts: meta<CredentialKind[]>(ACCEPTS),
              ability: meta<AbilityDeclaration>(ABILITY_METADATA),
              controller: type.name,
              handler: name,
            });
          }
        }
      }
    }
  }
  return routes;
}
