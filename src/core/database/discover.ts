import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Works from the TypeScript sources (tests) and from dist/ alike: both keep the same layout. */
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const codeFile = (name: string): boolean => /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts');

function walk(dir: string, accept: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, accept));
    else if (accept(entry.name)) out.push(full);
  }
  return out.sort();
}

/** A class exported by a migration or entity file. */
export type ClassRef = new (...args: any[]) => unknown;

async function loadClasses(files: string[]): Promise<ClassRef[]> {
  const classes: ClassRef[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) if (typeof value === 'function') classes.push(value as ClassRef);
  }
  return classes;
}

/** Migration classes from the top-level migrations/ folder, in file-name (timestamp) order. */
export function loadMigrations(): Promise<ClassRef[]> {
  return loadClasses(walk(join(projectRoot, 'migrations'), codeFile));
}

/** Every entity class of the code base (used by the migration check and the CLI). */
export function loadEntities(): Promise<ClassRef[]> {
  return loadClasses(walk(join(projectRoot, 'src'), (n) => codeFile(n) && /\.entity\.(ts|js)$/.test(n)));
}
