import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The pinned copy first (deterministic), then the shared list beside the repository. */
const SOURCES = [join(ROOT, 'test', 'fixtures', 'barong-endpoints.txt'), join(ROOT, '..', 'shared', 'api', 'barong.txt')];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace', 'search'] as const;

interface Endpoint {
  method: string;
  path: string;
}

interface Operation {
  parameters?: { in: string; name: string; $ref?: string }[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
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
  let schemas: Record<string, { properties?: Record<string, unknown> }>;
  const endpoints = barongEndpoints();

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.agent().get('/docs-json');
    expect(res.status).toBe(200);
    paths = res.body.paths;
    schemas = res.body.components.schemas;
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

  // The post-processor adds error bodies by itself; only the route can say what it answers on success.
  it('every success response of every face has a content schema, unless it says the body is empty', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const successes = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
        if (!successes.length) missing.push(`${method.toUpperCase()} ${path}: no success response`);
        for (const [status, r] of successes) {
          const empty = status === '204' || /empty body|\(empty body\)/i.test(r.description ?? '');
          if (!empty && !Object.values(r.content ?? {}).some((c) => c.schema)) missing.push(`${method.toUpperCase()} ${path}: ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every operation has a tag, a summary and its security requirements; public routes need none', () => {
    const incomplete: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method] as Operation & { tags?: string[]; summary?: string; security?: unknown[] };
        if (!op) continue;
        if (!op.tags?.length || !op.summary || !Array.isArray(op.security)) incomplete.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(incomplete).toEqual([]);
    expect(paths['/api/v2/barong/resource/users/me']!.get!.security).toEqual([{ session: [], csrf: [] }, { jwt: [] }, { apikey: [], apikey_nonce: [], apikey_signature: [] }]);
    expect(paths['/api/v2/barong/identity/sessions']!.post!.security).toEqual([]);
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

  it('classes of the same name on two faces keep schemas of their own', () => {
    const schemaOf = (ref: unknown): string[] => Object.keys(schemas[String(ref).split('/').pop()!]?.properties ?? {});
    const body = (paths['/v1/wallets/balance']?.post as { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }).requestBody;
    expect(schemaOf(body?.content['application/json']?.schema.$ref)).toEqual(['token_symbol', 'wallet_id']);
    const ok = paths['/wallet/balance']?.get?.responses?.['200']?.content?.['application/json']?.schema as { $ref: string };
    expect(schemaOf(ok.$ref)).toEqual(['wallet_info']);
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

describe('one OpenAPI document per face', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('each face has its own document at /docs/<face>-json, holding only its operations', async () => {
    const all = (await t.agent().get('/docs-json')).body;
    const byFace = new Map<string, string[]>();
    for (const [path, item] of Object.entries(all.paths as Record<string, Record<string, { 'x-face'?: string }>>)) {
      for (const [method, op] of Object.entries(item)) byFace.set(op['x-face']!, [...(byFace.get(op['x-face']!) ?? []), `${method} ${path}`]);
    }
    expect([...byFace.keys()]).toEqual(expect.arrayContaining(['barong', 'gateway', 'service']));
    for (const [face, operations] of byFace) {
      const res = await t.agent().get(`/docs/${face}-json`);
      expect(res.status).toBe(200);
      const own = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
      expect(own.sort()).toEqual(operations.sort());
    }
    expect((await t.agent().get('/docs/nosuchface-json')).status).toBe(404);
  });

  it('Swagger UI offers every face in its selector and can authenticate with each credential', async () => {
    const page = await t.agent().get('/docs');
    expect(page.text).toContain('/docs/swagger-init.js');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    const init = (await t.agent().get('/docs/swagger-init.js')).text;
    for (const url of ['/docs-json', '/docs/barong-json', '/docs/gateway-json']) expect(init).toContain(url);
    expect(init).toContain('withCredentials: true');
    const schemes = (await t.agent().get('/docs/barong-json')).body.components.securitySchemes;
    expect(schemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie' },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      jwt: { type: 'http', scheme: 'bearer' },
      apikey: { type: 'apiKey', in: 'header', name: 'X-Auth-Apikey' },
    });
  });
});
