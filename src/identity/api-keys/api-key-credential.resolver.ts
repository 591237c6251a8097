import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import type { CredentialResolver } from '../../core/auth/credential-resolver.js';
import type { BarongPrincipal, PersonByApiKey, ServiceAccountPrincipal } from '../../core/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { hmacSha256Hex, safeEqual } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';
import { ApiKeysService } from './api-keys.service.js';

export const API_KEY_HEADERS = ['x-auth-apikey', 'x-auth-nonce', 'x-auth-signature'] as const;
const HOLDER_STATES = new Set(['active', 'pending']);

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Barong API-key HMAC authentication (reference §1.3), for the service's own routes and the
 * gateway endpoint. Headers: X-Auth-Apikey (kid), X-Auth-Nonce (client time in ms),
 * X-Auth-Signature = hex(HMAC-SHA256(secret, nonce + kid)). Barong's order and codes:
 *   1. a header missing or blank          → 422 authz.invalid_api_key_headers
 *   2. unknown kid                        → 401 authz.unexistent_apikey
 *   3. nonce not a positive integer       → 401 authz.nonce_not_valid_timestamp
 *   4. |now − nonce| ≥ nonce lifetime     → 401 authz.nonce_expired
 *   5. signature mismatch (constant time) → 401 authz.invalid_signature
 *   6. key not active                     → 401 authz.apikey_not_active
 *   7. holder not active/pending          → 401 authz.invalid_session;
 *      a user holder without 2FA          → 401 authz.disabled_2fa
 * Beyond Barong, a (kid, nonce) pair is accepted once (shared through the CounterStore, so across
 * instances with Redis): a replay within the window → 401 authz.nonce_already_used. Checked
 * last, so only a request that would otherwise succeed consumes its nonce. Clients must therefore
 * send a distinct nonce on every request (e.g. max(now, last + 1)).
 */
@Injectable()
export class ApiKeyCredentialResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'api_key' as const;
  readonly priority = 10;

  constructor(
    private readonly auth: AuthenticationService,
    private readonly apiKeys: ApiKeysService,
    @Inject(CounterStore) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.auth.register(this);
  }

  present(req: FastifyRequest): boolean {
    return API_KEY_HEADERS.some((h) => req.headers[h] !== undefined);
  }

  async resolve(req: FastifyRequest): Promise<BarongPrincipal> {
    const [kid, nonce, signature] = API_KEY_HEADERS.map((h) => header(req, h)?.trim() ?? '');
    if (!kid || !nonce || !signature) throw new AppError(422, 'authz.invalid_api_key_headers');

    const key = await this.apiKeys.findForAuth(kid);
    if (!key) throw AppError.unauthorized('authz.unexistent_apikey');

    if (!/^\d{1,16}$/.test(nonce) || Number(nonce) <= 0) throw AppError.unauthorized('authz.nonce_not_valid_timestamp');
    const lifetime = this.config.barong.apiKeyNonceLifetime;
    if (Math.abs(Date.now() - Number(nonce)) >= lifetime) throw AppError.unauthorized('authz.nonce_expired');

    const expected = hmacSha256Hex(this.apiKeys.secretOf(key), nonce + kid);
    if (!safeEqual(expected, signature.toLowerCase())) throw AppError.unauthorized('authz.invalid_signature');

    if (key.state !== 'active') throw AppError.unauthorized('authz.apikey_not_active');

    let principal: Omit<PersonByApiKey, 'apiKeyId' | 'scopes'> | Omit<ServiceAccountPrincipal, 'apiKeyId' | 'scopes'>;
    if (key.user) {
      const user = key.user;
      if (!HOLDER_STATES.has(user.state)) throw AppError.unauthorized('authz.invalid_session');
      if (!user.otp) throw AppError.unauthorized('authz.disabled_2fa');
      principal = { kind: 'user', via: 'api_key', id: user.id, uid: user.uid, appId: user.appId, role: user.role, state: user.state, email: user.email ?? '', level: user.level };
    } else if (key.serviceAccount) {
      const account = key.serviceAccount;
      if (!HOLDER_STATES.has(account.state)) throw AppError.unauthorized('authz.invalid_session');
      principal = {
        kind: 'service_account',
        via: 'api_key',
        id: account.id,
        uid: account.uid,
        appId: account.owner?.appId ?? DEFAULT_APP_ID,
        role: account.role,
        state: account.state,
        email: account.email,
        level: account.level,
      };
    } else {
      throw AppError.unauthorized('authz.invalid_session');
    }

    // The marker outlives the window in which the nonce could still be accepted.
    const fresh = await this.counters.claim(`apikey:nonce:${kid}:${nonce}`, 2 * lifetime);
    if (!fresh) throw AppError.unauthorized('authz.nonce_already_used');

    return { ...principal, apiKeyId: key.kid, scopes: [...key.scope] } as BarongPrincipal;
  }
}
