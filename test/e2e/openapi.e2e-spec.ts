import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The pinned copy first (deterministic), then the shared list beside the repository. */
const SOURCES = [join(ROOT, 'test', 'fixtures', 'barong-endpoints.txt'), join(ROOT, '..', 'shared', 'api', 'barong.txt')];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

interface Endpoint {
  method: string;
  path: string;
}

interface Operation {
  parameters?: { in: string; name: string; $ref?: string }[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

type PathItem = Partial<Record<(typeof METHODS)[number], Operation>> & { parameters?: Operation['parameters'] };

function barongEndpoints(): Endpoint[] {
  const file = SOURCES.find((f) => existsSync(f));
  if (!file) throw new Error(`no Barong endpoint list at ${SOURCES.join(' or ')}`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [method, path, ...rest] = l.split(/\s+/);
      if (!method || !path || rest.length || !/^[A-Z]+$/.test(method)) throw new Error(`bad endpoint line: ${l}`);
      return { method: method.toLowerCase(), path: path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}') };
    });
}

const pathParams = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
const label = (e: Endpoint): string => `${e.method.toUpperCase()} ${e.path}`;

describe('OpenAPI document covers the Barong API', () => {
  let t: TestApp;
  let paths: Record<string, PathItem>;
  const endpoints = barongEndpoints();

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.agent().get('/docs-json');
    expect(res.status).toBe(200);
    paths = res.body.paths;
  });
  afterAll(() => t?.close());

  const operation = (e: Endpoint): Operation | undefined => paths[e.path]?.[e.method as (typeof METHODS)[number]];

  it('the endpoint list is read and well formed', () => {
    expect(endpoints.length).toBeGreaterThan(80);
    expect(new Set(endpoints.map(label)).size).toBe(endpoints.length);
  });

  it('every Barong method + path is in /docs-json', () => {
    const missing = endpoints.filter((e) => !operation(e)).map(label);
    expect(missing).toEqual([]);
  });

  it('every documented Barong operation has a response with a content schema', () => {
    const noSchema = endpoints
      .filter((e) => operation(e))
      .filter((e) => !Object.values(operation(e)!.responses ?? {}).some((r) => Object.values(r.content ?? {}).some((c) => c.schema)))
      .map(label);
    expect(noSchema).toEqual([]);
  });

  it('every documented Barong operation declares its path parameters', () => {
    const undeclared: string[] = [];
    for (const e of endpoints) {
      const op = operation(e);
      if (!op) continue;
      const declared = [...(paths[e.path]!.parameters ?? []), ...(op.parameters ?? [])].filter((p) => p.in === 'path').map((p) => p.name);
      for (const p of pathParams(e.path)) if (!declared.includes(p)) undeclared.push(`${label(e)}: {${p}}`);
    }
    expect(undeclared).toEqual([]);
  });

  it('every route in the document describes each of its responses', () => {
    const undescribed: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const responses = Object.entries(op.responses ?? {});
        if (!responses.length) undescribed.push(`${method.toUpperCase()} ${path}: no responses`);
        for (const [status, r] of responses) {
          if (typeof r.description !== 'string' || !r.description.trim()) undescribed.push(`${method.toUpperCase()} ${path}: ${status}`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });
});

describe('resource/swagger_doc', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('needs a signed-in caller', async () => {
    for (const url of ['/api/v2/barong/resource/swagger_doc', '/api/v2/barong/resource/swagger_doc/identity']) {
      const res = await t.agent().get(url);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: ['authz.invalid_session'] });
    }
  });

  it('answers the whole generated document', async () => {
    const { agent } = await agentWithRole(t, 'member');
    const res = await agent.get('/api/v2/barong/resource/swagger_doc');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const published = await t.agent().get('/docs-json');
    expect(res.body).toEqual(published.body);
    expect(res.body.openapi).toMatch(/^3\./);
  });

  it.each(['identity', 'resource', 'public'])('swagger_doc/%s answers only the paths of that API', async (name) => {
    const { agent } = await agentWithRole(t, 'member');
    const res = await agent.get(`/api/v2/barong/resource/swagger_doc/${name}`, { query: { locale: 'en' } });
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith(`/api/v2/barong/${name}/`))).toBe(true);
    const all = (await t.agent().get('/docs-json')).body;
    expect(paths.sort()).toEqual(Object.keys(all.paths).filter((p) => p.startsWith(`/api/v2/barong/${name}/`)).sort());
    expect(res.body.components).toEqual(all.components);
    expect(res.body.info.title).toContain(name);
  });

  it.each(['nothing', 'IDENTITY', 'swagger_doc', 'identity.json'])('an unknown API name (%s) is 404 record.not_found', async (name) => {
    const { agent } = await agentWithRole(t, 'member');
    const res = await agent.get(`/api/v2/barong/resource/swagger_doc/${encodeURIComponent(name)}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: ['record.not_found'] });
  });
});
