import { readFileSync, writeFileSync } from 'node:fs';
import { FaceRegistry, type RouteInfo } from '../../src/core/faces/face-registry.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));

/**
 * What every route declares, read from the same metadata the guard and the filter use. The public
 * routes and the admin abilities are pinned in fixtures, so a new opt-out shows up in review
 * (regenerate them with UPDATE_ROUTE_FIXTURES=1 and read the diff).
 */
describe('route metadata', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  beforeAll(async () => {
    t = await createTestApp();
    routes = t.get(FaceRegistry).routeList();
  });
  afterAll(() => t.close());

  const id = (r: RouteInfo): string => `${r.method} ${r.path}`;

  it('every route declares its face, and the face is registered', () => {
    const registry = t.get(FaceRegistry);
    expect(routes.length).toBeGreaterThan(90);
    expect(routes.filter((r) => !r.face).map(id)).toEqual([]);
    for (const r of routes) expect(registry.has(r.face!)).toBe(true);
  });

  it('every route is public, runs its own access pipeline, or accepts some credential', () => {
    const registry = t.get(FaceRegistry);
    const undeclared = routes.filter((r) => !r.public && !r.skipAccessControl && !(r.accepts ?? registry.get(r.face!).accepts).length);
    expect(undeclared.map(id)).toEqual([]);
  });

  it('every admin route declares the ability it needs', () => {
    const admin = routes.filter((r) => r.path.includes('/admin/') || r.path.endsWith('/admin'));
    expect(admin.length).toBeGreaterThan(30);
    expect(admin.filter((r) => !r.ability).map(id)).toEqual([]);
  });

  it('the public routes and the admin abilities are the pinned ones', () => {
    const open = routes
      .filter((r) => r.public || r.skipAccessControl)
      .map((r) => `${id(r)} ${r.skipAccessControl ? 'own-pipeline' : 'public'}`)
      .sort();
    const abilities = routes
      .filter((r) => r.ability)
      .map((r) => `${id(r)} ${r.ability === 'none' ? 'none' : `${r.ability!.action}:${r.ability!.subject}`}`)
      .sort();
    if (process.env.UPDATE_ROUTE_FIXTURES) {
      writeFileSync(fixture('public-routes.txt'), `# Routes that need no credential, or run their own access pipeline\n${open.join('\n')}\n`);
      writeFileSync(fixture('admin-abilities.txt'), `# The admin ability each admin route needs\n${abilities.join('\n')}\n`);
    }
    expect(open).toEqual(lines(readFileSync(fixture('public-routes.txt'), 'utf8')));
    expect(abilities).toEqual(lines(readFileSync(fixture('admin-abilities.txt'), 'utf8')));
  });
});
