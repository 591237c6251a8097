import { hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

/** OWASP's argon2id baseline (19 MiB, t=2, p=1). Hashing runs on libuv's pool, never the event loop. */
export const ARGON2_PARAMS = { algorithm: 2 /* Argon2id (a const enum, not importable per file) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** A hash of a random password, verified against when the account does not exist (equal timing). */
let decoy: Promise<string> | undefined;

@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, ARGON2_PARAMS);
  }

  async verify(digest: string | null | undefined, password: string): Promise<boolean> {
    if (!digest) {
      decoy ??= hash('decoy-password-for-timing', ARGON2_PARAMS);
      await verify(await decoy, password).catch(() => false);
      return false;
    }
    try {
      return await verify(digest, password);
    } catch {
      return false;
    }
  }
}
