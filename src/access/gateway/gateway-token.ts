import { apiKeyIdOf, sessionIdOf, type BarongPrincipal } from '../../core/auth/principal.js';
import { randomHex } from '../../core/crypto/tokens.js';

/** What the gateway JWT says about its holder (Barong's user or service-account claims). */
export interface Holder {
  kind: 'user' | 'service_account';
  uid: string;
  email: string;
  role: string;
  level: number;
  state: string;
  username?: string | null;
  referralId?: string | null;
}

export { BARONG_JWT_AUDIENCE as JWT_AUDIENCE, BARONG_JWT_ISSUER as JWT_ISSUER, BARONG_JWT_SUBJECT as JWT_SUBJECT } from '../../identity/users/barong-jwt.strategy.js';
import { BARONG_JWT_AUDIENCE as JWT_AUDIENCE, BARONG_JWT_ISSUER as JWT_ISSUER, BARONG_JWT_SUBJECT as JWT_SUBJECT } from '../../identity/users/barong-jwt.strategy.js';

/** Barong's claim set: standard claims first, then the holder's. `jti` may bind the token to its session. */
export function gatewayClaims(holder: Holder, nowSeconds: number, lifetimeSeconds: number, jti: string = randomHex(10)): Record<string, unknown> {
  const standard = {
    iat: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
    sub: JWT_SUBJECT,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    jti,
  };
  if (holder.kind === 'service_account') {
    return { ...standard, uid: holder.uid, email: holder.email, role: holder.role, level: holder.level, state: holder.state };
  }
  return {
    ...standard,
    uid: holder.uid,
    username: holder.username ?? null,
    email: holder.email,
    referral_id: holder.referralId ?? null,
    role: holder.role,
    level: holder.level,
    state: holder.state,
  };
}

/** Everything that shapes the claims is equal (a token is reused only then). */
export function sameHolder(a: Holder, b: Holder): boolean {
  return (
    a.kind === b.kind &&
    a.uid === b.uid &&
    a.email === b.email &&
    a.role === b.role &&
    a.level === b.level &&
    a.state === b.state &&
    (a.username ?? null) === (b.username ?? null) &&
    (a.referralId ?? null) === (b.referralId ?? null)
  );
}

/** The credential a token is issued for: the session, else the API key, else the principal. */
export function credentialOf(principal: BarongPrincipal): string {
  const sessionId = sessionIdOf(principal);
  const apiKeyId = apiKeyIdOf(principal);
  return sessionId ? `s:${sessionId}` : apiKeyId ? `k:${apiKeyId}` : `p:${principal.id}`;
}

interface CachedToken {
  holder: Holder;
  kid: string;
  /** The whole header value, `Bearer <JWT>`, built once. */
  authorization: string;
  reuseUntilMs: number;
}

/**
 * Signed gateway JWTs, one per credential, reused while the holder snapshot and the signing key are
 * unchanged and the token is not yet within a safety margin of expiry, so a busy session costs one
 * signature per interval, not per request (and no allocation on a hit).
 */
export class GatewayTokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly maxEntries = 100_000) {}

  get(credential: string, holder: Holder, kid: string, nowMs: number): string | undefined {
    const hit = this.tokens.get(credential);
    if (!hit) return undefined;
    if (hit.reuseUntilMs > nowMs && hit.kid === kid && sameHolder(hit.holder, holder)) return hit.authorization;
    this.tokens.delete(credential);
    return undefined;
  }

  set(credential: string, holder: Holder, kid: string, authorization: string, reuseUntilMs: number): void {
    if (this.tokens.size >= this.maxEntries) {
      const now = Date.now();
      for (const [k, v] of this.tokens) if (v.reuseUntilMs <= now) this.tokens.delete(k);
      if (this.tokens.size >= this.maxEntries) this.tokens.clear();
    }
    this.tokens.set(credential, { holder, kid, authorization, reuseUntilMs });
  }

  clear(): void {
    this.tokens.clear();
  }
}

/**
 * How long before expiry a token stops being handed out: half its lifetime, at most 5 minutes, so a
 * proxy never receives a token with less than that left.
 */
export function reuseMarginSeconds(lifetimeSeconds: number): number {
  return Math.min(300, Math.max(1, Math.floor(lifetimeSeconds / 2)));
}
