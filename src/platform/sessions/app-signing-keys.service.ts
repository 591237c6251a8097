import { createHash, createPrivateKey, createPublicKey, generateKeyPair, KeyObject, verify } from 'node:crypto';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { pid } from '../common/ids.js';
import { PlatformSigningKey } from './session.entity.js';
import { signJws } from '../../core/crypto/jwt/jws-sign.js';

const generateRsa = promisify(generateKeyPair);
const SEAL_CONTEXT = 'platform-session-jwt-key';
/** Session JWTs live 5 minutes; a retired key stays published this long after its retirement. */
export const SESSION_JWT_LIFETIME_SECONDS = 300;
const PUBLISH_AFTER_RETIRE_MS = (SESSION_JWT_LIFETIME_SECONDS + 60) * 1000;
const KEYS_REFRESH_MS = 60_000;
const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

interface LoadedKey {
  kid: string;
  appId: string;
  publicKey: KeyObject;
  privateKey?: KeyObject;
  jwk: Record<string, unknown>;
  retiredAt: Date | null;
}

interface AppKeys {
  active: LoadedKey;
  all: LoadedKey[];
}

/**
 * One RS256 key per app for session JWTs (what Streambird's SDKs verify against the JWKS), generated
 * on first use, sealed at rest and held in memory; signing and verifying use node:crypto.
 */
@Injectable()
export class AppSigningKeysService {
  private readonly byApp = new Map<string, { keys: Promise<AppKeys>; until: number }>();
  private readonly byKid = new Map<string, LoadedKey>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /** The app's keys, re-read every minute so a rotation on another instance is picked up. */
  private keysOf(appId: string): Promise<AppKeys> {
    const hit = this.byApp.get(appId);
    if (hit && hit.until > Date.now()) return hit.keys;
    const keys = this.load(appId).catch((e) => {
      this.byApp.delete(appId);
      throw e;
    });
    this.byApp.set(appId, { keys, until: Date.now() + KEYS_REFRESH_MS });
    return keys;
  }

  private async load(appId: string): Promise<AppKeys> {
    let rows = await this.dataSource.getRepository(PlatformSigningKey).find({ where: { appId }, order: { createdAt: 'ASC' } });
    if (!rows.some((r) => !r.retiredAt)) {
      await this.insertKey(appId, false);
      rows = await this.dataSource.getRepository(PlatformSigningKey).find({ where: { appId }, order: { createdAt: 'ASC' } });
    }
    const all = rows.map((r) => this.toLoaded(r));
    for (const k of all) this.byKid.set(k.kid, k);
    const active = [...all].reverse().find((k) => !k.retiredAt)!;
    return { active, all };
  }

  private toLoaded(r: PlatformSigningKey): LoadedKey {
    const publicKey = createPublicKey({ key: r.publicJwk as never, format: 'jwk' });
    const privateKey = r.retiredAt ? undefined : createPrivateKey(this.sealer.open(r.privateKeySealed, SEAL_CONTEXT));
    return { kid: r.kid, appId: r.appId, publicKey, privateKey, jwk: jwkOf(r.kid, publicKey), retiredAt: r.retiredAt };
  }

  /** A new key for the app (under a per-app advisory lock, so instances do not race). */
  private async insertKey(appId: string, retireOthers: boolean): Promise<void> {
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
    await this.dataSource.transaction(async (m) => {
      await m.query("SELECT pg_advisory_xact_lock(hashtext('platform-jwk:' || $1))", [appId]);
      if (retireOthers) await m.update(PlatformSigningKey, { appId, retiredAt: IsNull() }, { retiredAt: new Date() });
      else if (await m.exists(PlatformSigningKey, { where: { appId, retiredAt: IsNull() } })) return;
      const id = uuidv7();
      await m.insert(PlatformSigningKey, {
        id,
        appId,
        kid: pid('jwk', id),
        publicJwk: publicKey.export({ format: 'jwk' }) as never,
        privateKeySealed: this.sealer.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), SEAL_CONTEXT),
        retiredAt: null,
      });
    });
  }

  /** Starts signing with a new key; the old one stays in the JWKS until its tokens have expired. */
  async rotate(appId: string): Promise<void> {
    await this.insertKey(appId, true);
    this.byApp.delete(appId);
    await this.keysOf(appId);
  }

  async sign(appId: string, claims: Record<string, unknown>): Promise<string> {
    const key = (await this.keysOf(appId)).active;
    const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${await signJws('RS256', input, key.privateKey!)}`;
  }

  /** The claims of a JWT signed by one of the app's keys (expiry is the caller's business), else undefined. */
  async verify(appId: string, token: string): Promise<Record<string, unknown> | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    let header: { alg?: unknown; kid?: unknown };
    let claims: unknown;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!header || header.alg !== 'RS256' || typeof header.kid !== 'string' || !claims || typeof claims !== 'object') return undefined;
    let key = this.byKid.get(header.kid);
    if (!key) {
      // A key another instance made since this one loaded the app's keys.
      this.byApp.delete(appId);
      await this.keysOf(appId);
      key = this.byKid.get(header.kid);
    }
    if (!key || key.appId !== appId) return undefined;
    const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key.publicKey, Buffer.from(parts[2]!, 'base64url'));
    return ok ? (claims as Record<string, unknown>) : undefined;
  }

  async jwks(appId: string): Promise<{ keys: Record<string, unknown>[] }> {
    const horizon = Date.now() - PUBLISH_AFTER_RETIRE_MS;
    const { all } = await this.keysOf(appId);
    return { keys: all.filter((k) => !k.retiredAt || k.retiredAt.getTime() > horizon).map((k) => k.jwk) };
  }
}

function jwkOf(kid: string, publicKey: KeyObject): Record<string, unknown> {
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    alg: 'RS256',
    kty: 'RSA',
    use: 'sig',
    key_ops: ['verify'],
    kid,
    n,
    e,
    x5c: [der.toString('base64')],
    'x5t#S256': createHash('sha256').update(der).digest('base64'),
  };
}
