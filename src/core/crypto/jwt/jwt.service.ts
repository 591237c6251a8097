import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { randomHex } from '../tokens.js';
import { SecretSealer } from '../secret-sealer.js';
import { jwsKey, signJws } from './jws-sign.js';
import { SigningKey } from './signing-key.entity.js';

export type JwtAlg = 'ES256' | 'RS256';
export type JwtClaims = Record<string, unknown>;

const LOCK_ID = 4_242_003;
const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');
const SEAL_CONTEXT = 'jwt-signing-key';

interface LoadedKey {
  kid: string;
  alg: JwtAlg;
  privateKey?: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
  retiredAt: Date | null;
}

/** RFC 7638 thumbprint: a stable kid for an imported key. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/**
 * Signs and verifies the service's JWTs with node:crypto (no per-request key load: keys live in
 * memory). Generates and seals a key on first start unless JWT_PRIVATE_KEY provides one.
 */
@Injectable()
export class JwtService implements OnModuleInit {
  private readonly logger = new Logger('Jwt');
  private keys = new Map<string, LoadedKey>();
  private active?: LoadedKey;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
      const imported = this.config.jwt.privateKeyPem;
      if (imported) {
        const privateKey = createPrivateKey(imported);
        if (privateKey.type !== 'private') throw new Error('JWT_PRIVATE_KEY must be a private key');
        const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, unknown>;
        const kid = thumbprint(publicJwk);
        if (!(await m.exists(SigningKey, { where: { kid } }))) {
          await m.update(SigningKey, { retiredAt: IsNull() }, { retiredAt: new Date() });
          const alg: JwtAlg = publicJwk.kty === 'EC' ? 'ES256' : 'RS256';
          await m.insert(SigningKey, { kid, alg, publicJwk: publicJwk as never, privateKeySealed: this.sealer.seal(imported, SEAL_CONTEXT), retiredAt: null });
        }
      } else if (!(await m.exists(SigningKey, { where: { retiredAt: IsNull() } }))) {
        await this.insertNewKey(m, this.config.jwt.algorithm);
      }
    });
    await this.reload();
  }

  private async insertNewKey(m: EntityManager, alg: JwtAlg): Promise<string> {
    const { privateKey, publicKey } =
      alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomHex(8);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await m.insert(SigningKey, {
      kid,
      alg,
      publicJwk: publicKey.export({ format: 'jwk' }) as never,
      privateKeySealed: this.sealer.seal(pem, SEAL_CONTEXT),
      retiredAt: null,
    });
    return kid;
  }

  /** Reads keys from the table (after a rotation on any instance). */
  async reload(): Promise<void> {
    const rows = await this.dataSource.getRepository(SigningKey).find({ order: { createdAt: 'ASC' } });
    const horizon = Date.now() - this.maxTokenLifetimeMs();
    const keys = new Map<string, LoadedKey>();
    for (const row of rows) {
      if (row.retiredAt && row.retiredAt.getTime() < horizon) continue;
      const publicKey = createPublicKey({ key: row.publicJwk as never, format: 'jwk' });
      const privateKey = row.retiredAt ? undefined : createPrivateKey(this.openKey(row));
      keys.set(row.kid, { kid: row.kid, alg: row.alg as JwtAlg, publicKey, privateKey, publicJwk: row.publicJwk, retiredAt: row.retiredAt });
    }
    this.keys = keys;
    this.active = [...keys.values()].reverse().find((k) => !k.retiredAt && k.privateKey);
    if (!this.active) throw new Error('no active JWT signing key');
  }

  private openKey(row: SigningKey): string {
    try {
      return this.sealer.open(row.privateKeySealed, SEAL_CONTEXT);
    } catch {
      throw new Error(`cannot open JWT signing key ${row.kid}: SECRET_KEY is not the key the database's secrets were sealed with`);
    }
  }

  /** Retires the active key (still published until its tokens expire) and starts signing with a new one. */
  async rotate(alg: JwtAlg = this.config.jwt.algorithm): Promise<string> {
    const kid = await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
      await m.update(SigningKey, { retiredAt: IsNull() }, { retiredAt: new Date() });
      return this.insertNewKey(m, alg);
    });
    await this.reload();
    this.logger.log(`rotated JWT signing key, now ${kid}`);
    return kid;
  }

  private maxTokenLifetimeMs(): number {
    return Math.max(this.config.barong.jwtExpireTime, this.config.jwt.maxLifetimeSeconds) * 1000;
  }

  get activeKid(): string {
    return this.active!.kid;
  }

  /** `sign` with the signature computed off the event loop (for tokens minted on request paths). */
  async signAsync(claims: JwtClaims): Promise<string> {
    const key = this.active!;
    const input = this.signingInput(key, claims);
    return `${input}.${await signJws(key.alg, input, key.privateKey!)}`;
  }

  private signingInput(key: { alg: JwtAlg; kid: string }, claims: JwtClaims): string {
    return `${b64url(JSON.stringify({ alg: key.alg, typ: 'JWT', kid: key.kid }))}.${b64url(JSON.stringify(claims))}`;
  }

  sign(claims: JwtClaims): string {
    const key = this.active!;
    const input = this.signingInput(key, claims);
    return `${input}.${b64url(sign('sha256', Buffer.from(input), jwsKey(key.alg, key.privateKey!)))}`;
  }

  /**
   * Signs `claims` as a JWS in JSON general serialisation with one signature by the active key,
   * as Barong's Event API does (jwt-multisig): protected header `{alg}`, unprotected header
   * `{kid}` (the key's id in the JWKS).
   */
  signGeneral(claims: JwtClaims): { payload: string; signatures: { protected: string; header: { kid: string }; signature: string }[] } {
    const key = this.active!;
    const protectedHeader = b64url(JSON.stringify({ alg: key.alg }));
    const payload = b64url(JSON.stringify(claims));
    const input = Buffer.from(`${protectedHeader}.${payload}`);
    const signature = sign('sha256', input, jwsKey(key.alg, key.privateKey!));
    return { payload, signatures: [{ protected: protectedHeader, header: { kid: key.kid }, signature: b64url(signature) }] };
  }

  /** Verifies signature, kid, alg, exp/nbf (with `leewaySeconds`); returns the claims or undefined. */
  verify(token: string, leewaySeconds = 0): JwtClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: string; kid?: string };
    let claims: JwtClaims;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    const key = typeof header.kid === 'string' ? this.keys.get(header.kid) : undefined;
    if (!key || header.alg !== key.alg) return undefined;
    const input = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    const ok = verify('sha256', input, jwsKey(key.alg, key.publicKey), sig);
    if (!ok) return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp === 'number' && now > claims.exp + leewaySeconds) return undefined;
    if (typeof claims.nbf === 'number' && now + leewaySeconds < claims.nbf) return undefined;
    return claims;
  }

  /** The key a token's `kid` names, with the one algorithm it may be used with (for JWT libraries). */
  verificationKey(kid: string): { alg: JwtAlg; publicKey: KeyObject } | undefined {
    const key = this.keys.get(kid);
    return key && { alg: key.alg, publicKey: key.publicKey };
  }

  /** The algorithms of the keys in the set (what a verifier may accept). */
  algorithms(): JwtAlg[] {
    return [...new Set([...this.keys.values()].map((k) => k.alg))];
  }

  /** The public keys, for /.well-known/jwks.json. */
  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: [...this.keys.values()].map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })),
    };
  }
}
