// The database setup of every test run, plus a console build when there is none or the sources
// are newer than it (the browser drives the built files the service serves).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import globalSetup from '../support/global-setup.mjs';

const BUILT = 'dist/console/index.html';

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default async function consoleGlobalSetup() {
  if (!existsSync(BUILT) || newestIn('console') > statSync(BUILT).mtimeMs) {
    execFileSync('npm', ['run', '--silent', 'build:console'], { stdio: 'inherit' });
  }
  await globalSetup();
}
