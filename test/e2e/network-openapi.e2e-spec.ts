import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp, TestApp } from '../support/test-app.js';

const LIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'urnetwork-endpoints.txt');

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  parameters?: { in: string; name: string }[];
}

const endpoints = readFileSync(LIST, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [method, path] = l.split(/\s+/) as [string, string];
    return { method: method.toLowerCase(), path: path.replace(/:([A-Za-z_]\w*)/g, '{$1}') };
  });
const label = (e: { method: string; path: string }): string => `${e.method.toUpperCase()} ${e.path}`;

describe('OpenAPI document of the network face', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.agent().get('/docs/network-json');
    expect(res.status).toBe(200);
    paths = res.body.paths;
  });
  afterAll(() => t?.close());

  it('the list holds the 58 endpoints plus auth/refresh', () => {
    expect(endpoints).toHaveLength(59);
    expect(new Set(endpoints.map(label)).size).toBe(59);
  });

  it('lists every endpoint', () => {
    expect(endpoints.filter((e) => !paths[e.path]?.[e.method]).map(label)).toEqual([]);
  });

  it('documents a response schema for every endpoint and declares path parameters', () => {
    const missing: string[] = [];
    for (const e of endpoints) {
      const op = paths[e.path]![e.method]!;
      const ok = op.responses?.['200'] && Object.values(op.responses['200'].content ?? {}).some((c) => c.schema);
      if (!ok) missing.push(label(e));
      for (const name of [...e.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
        if (!(op.parameters ?? []).some((p) => p.in === 'path' && p.name === name)) missing.push(`${label(e)} {${name}}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds only network-face paths (the Barong admin route lives in the Barong document)', async () => {
    expect(Object.keys(paths).filter((p) => p.startsWith('/api/'))).toEqual([]);
    const barong = (await t.agent().get('/docs/barong-json')).body.paths;
    expect(barong['/api/v2/barong/admin/balance_codes']).toEqual(expect.objectContaining({ get: expect.any(Object), post: expect.any(Object) }));
  });
});
