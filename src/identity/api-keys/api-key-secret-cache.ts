import { Injectable } from '@nestjs/common';

interface Entry {
  sealed: string;
  secret: string;
  expiresAt: number;
}

/**
 * Opened API-key secrets by kid, briefly, so a busy key is not unsealed on every request. Only
 * the secret is cached: key and holder state are read fresh on every request, so deactivation
 * applies at once on every instance. Entries are keyed to the sealed value they came from and
 * dropped when a key changes or goes away.
 */
@Injectable()
export class ApiKeySecretCache {
  static readonly TTL_MS = 60_000;
  static readonly MAX_ENTRIES = 10_000;
  private readonly entries = new Map<string, Entry>();

  get(kid: string, sealed: string, open: () => string, now = Date.now()): string {
    const hit = this.entries.get(kid);
    if (hit && hit.sealed === sealed && hit.expiresAt > now) return hit.secret;
    const secret = open();
    if (this.entries.size >= ApiKeySecretCache.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(kid);
    this.entries.set(kid, { sealed, secret, expiresAt: now + ApiKeySecretCache.TTL_MS });
    return secret;
  }

  has(kid: string): boolean {
    return this.entries.has(kid);
  }

  evict(kid: string): void {
    this.entries.delete(kid);
  }
}
