import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';

/** Verifies an OpenID Connect ID token and returns its claims; throws when it is not valid. */
export interface IdTokenVerifier {
  verify(idToken: string): Promise<JWTPayload>;
}

export const ID_TOKEN_VERIFIER = Symbol('ID_TOKEN_VERIFIER');

/**
 * Auth0 ID tokens: RS256 signatures checked against the tenant's JWKS
 * (https://<BARONG_AUTH0_DOMAIN>/.well-known/jwks.json unless BARONG_AUTH0_JWKS_URL says otherwise),
 * issuer https://<domain>/, audience BARONG_AUTH0_CLIENT_ID, and an expiry that has not passed.
 */
@Injectable()
export class Auth0IdTokenVerifier implements IdTokenVerifier {
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private keySet(): ReturnType<typeof createRemoteJWKSet> {
    const { domain, jwksUrl } = this.config.auth0;
    if (!this.jwks) {
      const url = jwksUrl ?? `https://${domain}/.well-known/jwks.json`;
      this.jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    }
    return this.jwks;
  }

  async verify(idToken: string): Promise<JWTPayload> {
    const { domain, clientId } = this.config.auth0;
    if (!domain || !clientId) throw new Error('Auth0 is not configured');
    const { payload } = await jwtVerify(idToken, this.keySet(), {
      algorithms: ['RS256'],
      issuer: `https://${domain}/`,
      audience: clientId,
      requiredClaims: ['exp'],
    });
    return payload;
  }
}
