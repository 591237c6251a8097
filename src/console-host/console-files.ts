import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleFile {
  body: Buffer;
  type: string;
  /** Vite writes content-hashed names under assets/: they never change, so they may be cached for good. */
  immutable: boolean;
}

/** The repository (or image) root: the nearest folder above this module that holds package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The built console (`vite build` output), read once per file and kept in memory. */
export class ConsoleFiles {
  private readonly cache = new Map<string, ConsoleFile>();

  constructor(readonly root: string = join(packageRoot(), 'dist', 'console')) {}

  /** Whether a build is present; checked each time so a build made after start is picked up. */
  built(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  index(): ConsoleFile | undefined {
    return this.file('index.html');
  }

  /** A file below the root by its URL path, or undefined (also for anything escaping the root). */
  file(relative: string): ConsoleFile | undefined {
    const clean = normalize(relative).replace(/^([/\\])+/, '');
    if (!clean || clean.startsWith('..') || clean.includes(`${sep}..${sep}`) || clean.includes('\0')) return undefined;
    const cached = this.cache.get(clean);
    if (cached) return cached;
    const type = TYPES[extname(clean).toLowerCase()];
    const full = join(this.root, clean);
    if (!type || !full.startsWith(this.root + sep) || !existsSync(full) || !statSync(full).isFile()) return undefined;
    const file = { body: readFileSync(full), type, immutable: clean.startsWith(`assets${sep}`) };
    this.cache.set(clean, file);
    return file;
  }
}
