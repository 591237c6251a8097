import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not, Repository } from 'typeorm';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { fromPublicId, toPublicId } from '../../core/database/public-id.js';
import { App, DEFAULT_APP_ID } from './app.entity.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** How long a key look-up is trusted before the table is asked again (other instances' rotations). */
const KEY_CACHE_MS = 2000;

/** `length` characters of [A-Za-z0-9], uniformly random. */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALNUM[byte % 62];
    }
  }
  return out;
}

export const appPublicId = (id: string): string => toPublicId('app', id);
export const appIdFromPublic = (publicId: unknown): string | undefined => fromPublicId('app', publicId);

export interface IssuedApp {
  app: App;
  /** Shown once; only its hash is kept. */
  secretKey: string;
}

interface CachedKey {
  /** The look-up's answer, settled; every hit hands out the same promise. */
  app: Promise<App | null>;
  until: number;
}

/**
 * Tenant apps and their keys: a secret key (`sk_test_…`, stored as a SHA-256 hash; looking a key up
 * by its hash compares no secret byte by byte in application code) and a public token.
 */
@Injectable()
export class TenantsService {
  private readonly byKey = new Map<string, CachedKey>();
  /** Look-ups in flight: the requests that find an entry expired share one query. */
  private readonly loading = new Map<string, Promise<App | null>>();
  /** Bumped when a key is forgotten: a look-up begun before it is not remembered. */
  private generation = 0;

  constructor(
    @InjectRepository(App) private readonly apps: Repository<App>,
    private readonly dataSource: DataSource,
  ) {}

  async create(name: string, manager: EntityManager = this.dataSource.manager): Promise<IssuedApp> {
    const secretKey = `sk_test_${randomAlnum(48)}`;
    const app = manager.create(App, {
      name,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'app'}-${randomAlnum(8).toLowerCase()}`,
      secretKeyHash: sha256Hex(secretKey),
      publicToken: `pk_test_${randomAlnum(48)}`,
      status: 'active',
      secretRotatedAt: null,
    });
    await manager.save(app);
    return { app, secretKey };
  }

  /** Every tenant app except the built-in default tenant, oldest first. */
  list(): Promise<App[]> {
    return this.apps.find({ where: { id: Not(DEFAULT_APP_ID) }, order: { createdAt: 'ASC' } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<App | null> {
    return manager.findOne(App, { where: { id } });
  }

  /** A new secret key; the previous one stops working at once on this instance, within seconds elsewhere. */
  async rotateSecret(app: App, manager: EntityManager): Promise<string> {
    const secretKey = `sk_test_${randomAlnum(48)}`;
    const previous = app.secretKeyHash;
    app.secretKeyHash = sha256Hex(secretKey);
    app.secretRotatedAt = new Date();
    await manager.update(App, { id: app.id }, { secretKeyHash: app.secretKeyHash, secretRotatedAt: app.secretRotatedAt });
    if (previous) this.forget(previous);
    return secretKey;
  }

  async disable(app: App, manager: EntityManager): Promise<App> {
    app.status = 'disabled';
    await manager.update(App, { id: app.id }, { status: 'disabled' });
    if (app.secretKeyHash) this.forget(app.secretKeyHash);
    if (app.publicToken) this.forget(`pk:${app.publicToken}`);
    return app;
  }

  /** The active app whose secret key this is, or null. */
  bySecretKey(secretKey: string): Promise<App | null> {
    const hash = sha256Hex(secretKey);
    return this.cached(hash, () => this.apps.findOne({ where: { secretKeyHash: hash } }));
  }

  /** The active app whose public token this is, or null. */
  byPublicToken(token: string): Promise<App | null> {
    return this.cached(`pk:${token}`, () => this.apps.findOne({ where: { publicToken: token } }));
  }

  private forget(key: string): void {
    this.generation++;
    this.byKey.delete(key);
    this.loading.delete(key);
  }

  /**
   * The remembered answer for a key, else one query shared by every request that asks meanwhile (a
   * busy backend's requests all find the entry expired at once, and each sent its own query).
   */
  private cached(key: string, load: () => Promise<App | null>): Promise<App | null> {
    const hit = this.byKey.get(key);
    if (hit && hit.until > Date.now()) return hit.app;
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.generation;
      const query: Promise<App | null> = load()
        .then((found) => {
          const app = found && found.status === 'active' ? found : null;
          if (generation === this.generation) {
            if (this.byKey.size > 10_000) this.byKey.clear();
            this.byKey.set(key, { app: Promise.resolve(app), until: Date.now() + KEY_CACHE_MS });
          }
          return app;
        })
        .finally(() => {
          if (this.loading.get(key) === query) this.loading.delete(key);
        });
      this.loading.set(key, (pending = query));
    }
    return pending;
  }
}
