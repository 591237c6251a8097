import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unreachableForPostgresUser } from './embedded-access.js';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './embedded-postgres.js';

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('embedded PostgreSQL started by root', () => {
  // mkdtemp makes a folder of mode 700: what a checkout under /root looks like to other users.
  const privateDir = mkdtempSync(join(tmpdir(), 'private-'));
  writeFileSync(join(privateDir, 'file'), 'x');

  it('tells which paths the postgres system user cannot reach (none to check when not root)', () => {
    expect(unreachableForPostgresUser([join(privateDir, 'file'), '/usr/bin/env'])).toEqual(asRoot ? [join(privateDir, 'file')] : []);
  });

  it('stops with one clear error instead of an unhandled spawn failure', async () => {
    const started = startEmbeddedPostgres(join(privateDir, 'data'), 54399);
    if (asRoot) {
      await expect(started).rejects.toBeInstanceOf(EmbeddedPostgresError);
      await expect(started).rejects.toThrow(/cannot reach .*private-.*set DATABASE_URL/);
    } else {
      // Not root: the server starts in the private folder as the current user.
      const server = await started;
      await server.stop();
    }
  }, 60_000);
});
