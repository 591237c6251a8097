import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Argon2Pool } from './argon2-pool.js';

/** OWASP's argon2id baseline (19 MiB, t=2, p=1). Hashing runs on threads of its own (Argon2Pool), never the event loop. */
export const ARGON2_PARAMS = { algorithm: 2 /* Argon2id (a const enum, not importable per file) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private readonly pool: Argon2Pool;
  /** A hash of a random password, verified against when the account does not exist (equal timing). */
  private decoy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Argon2Pool(ARGON2_PARAMS, config.passwordHashThreads);
  }

  hash(password: string): Promise<string> {
    return this.pool.hash(password);
  }

  async verify(digest: string | null | undefined, password: string): Promise<boolean> {
    if (!digest) {
      this.decoy ??= this.pool.hash('decoy-password-for-timing');
      await this.pool.verify(await this.decoy, password).catch(() => false);
      return false;
    }
    try {
      return await this.pool.verify(digest, password);
    } catch {
      return false;
    }
  }

  onModuleDestroy(): Promise<void> {
    return this.pool.close();
  }
}
