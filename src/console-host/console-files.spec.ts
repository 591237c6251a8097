import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleController } from './console.controller.js';
import { ConsoleFiles } from './console-files.js';

function builtConsole(): string {
  const root = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'export {};');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  return root;
}

/** The parts of a Fastify reply the controller uses, recording what was sent. */
function fakeReply() {
  const sent: { status: number; headers: Record<string, string>; body?: unknown } = { status: 200, headers: {} };
  const reply = {
    code: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k.toLowerCase()] = v), reply),
    type: (v: string) => ((sent.headers['content-type'] = v), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

function serve(root: string, url: string) {
  const controller = new ConsoleController();
  (controller as unknown as { files: ConsoleFiles }).files = new ConsoleFiles(root);
  const { reply, sent } = fakeReply();
  controller.any({ url } as FastifyRequest, reply);
  return sent;
}

describe('ConsoleFiles', () => {
  it('reads files below its root only, marking hashed assets immutable', () => {
    const files = new ConsoleFiles(builtConsole());
    expect(files.built()).toBe(true);
    expect(files.file('assets/index-abc123.js')).toMatchObject({ type: 'text/javascript; charset=utf-8', immutable: true });
    expect(files.file('favicon.svg')).toMatchObject({ type: 'image/svg+xml', immutable: false });
    expect(files.file('../package.json')).toBeUndefined();
    expect(files.file('assets/../../x.js')).toBeUndefined();
    expect(files.file('missing.js')).toBeUndefined();
    expect(files.file('assets')).toBeUndefined();
  });
});

describe('ConsoleController', () => {
  it('answers 503 in words, not 500, when the console has not been built', () => {
    const sent = serve(mkdtempSync(join(tmpdir(), 'console-empty-')), '/console');
    expect(sent.status).toBe(503);
    expect(String(sent.body)).toContain('npm run build');
  });

  it('serves index.html for client routes and 404 for missing files, always with the CSP', () => {
    const root = builtConsole();
    const route = serve(root, '/console/users/ID123?page=2');
    expect([route.status, route.headers['cache-control'], String(route.body)]).toEqual([200, 'no-cache', '<!doctype html><title>console</title>']);
    expect(route.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = serve(root, '/console/assets/index-abc123.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(serve(root, '/console/assets/gone-000.js').status).toBe(404);
    expect(serve(root, '/console/%2e%2e/package.json').status).toBe(404);
    expect(serve(root, '/console/%E0%A4%A').status).toBe(404);
  });
});
