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
  app: App | null;
  until: number;
}

/**
 * Tenant apps and their keys: a secret key (`sk_test_…`, stored as a SHA-256 hash; looking a key up
 * by its hash compares no secret byte by byte in application code) and a public token.
 */
@Injectable()
export class TenantsService {
  private readonly byKey = new Map<string, CachedKey>();

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
    if (previous) this.byKey.delete(previous);
    return secretKey;
  }

  async disable(app: App, manager: EntityManager): Promise<App> {
    app.status = 'disabled';
    await manager.update(App, { id: app.id }, { status: 'disabled' });
    if (app.secretKeyHash) this.byKey.delete(app.secretKeyHash);
    if (app.publicToken) this.byKey.delete(`pk:${app.publicToken}`);
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

  private async cached(key: string, load: () => Promise<App | null>): Promise<App | null> {
    const now = Date.now();
    const hit = this.byKey.get(key);
    if (hit && hit.until > now) return hit.app;
    const found = await load();
    const app = found && found.status === 'active' ? found : null;
    if (this.byKey.size > 10_000) this.byKey.clear();
    this.byKey.set(key, { app, until: now + KEY_CACHE_MS });
    return app;
  }
}
