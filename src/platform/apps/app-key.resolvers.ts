import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationService } from '../../core/auth/authentication.service.js';
import type { CredentialResolver } from '../../core/auth/credential-resolver.js';
import type { AppPrincipal } from '../../core/auth/principal.js';
import { TenantsService } from '../../identity/tenants/tenants.service.js';
import { unauthorized } from '../common/errors.js';

/** `Authorization: Bearer sk_...`: the tenant app whose (active) secret key it is. */
@Injectable()
export class AppSecretKeyResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'app_secret_key' as const;
  readonly priority = 15;

  constructor(
    private readonly auth: AuthenticationService,
    private readonly tenants: TenantsService,
  ) {}

  onModuleInit(): void {
    this.auth.register(this);
    this.auth.registerBearerPrefix('sk_', this.kind);
  }

  present(req: FastifyRequest): boolean {
    return this.auth.bearerKind(req) === this.kind;
  }

  async resolve(req: FastifyRequest): Promise<AppPrincipal> {
    const app = await this.tenants.bySecretKey(this.auth.bearerToken(req) ?? '');
    if (!app) throw unauthorized('unauthorized_credentials', 'Unknown, rotated or disabled secret key');
    return { kind: 'app', via: 'app_secret_key', appId: app.id };
  }
}

/** `Authorization: Bearer pk_...`: accepted only by routes that say so (OAuth begin, JWKS). */
@Injectable()
export class AppPublicTokenResolver implements CredentialResolver, OnModuleInit {
  readonly kind = 'app_public_token' as const;
  readonly priority = 16;

  constructor(
    private readonly auth: AuthenticationService,
    private readonly tenants: TenantsService,
  ) {}

  onModuleInit(): void {
    this.auth.register(this);
    this.auth.registerBearerPrefix('pk_', this.kind);
  }

  present(req: FastifyRequest): boolean {
    return this.auth.bearerKind(req) === this.kind;
  }

  async resolve(req: FastifyRequest): Promise<AppPrincipal> {
    const app = await this.tenants.byPublicToken(this.auth.bearerToken(req) ?? '');
    if (!app) throw unauthorized('unauthorized_credentials', 'Unknown or disabled public token');
    return { kind: 'app', via: 'app_public_token', appId: app.id };
  }
}

/**
 * The app of a request that may name itself in other ways than a Bearer header (JWKS and OAuth
 * begin): `?api_key=sk_...`, `?public_token=pk_...`, `Authorization: PublicToken pk_...`.
 * Undefined when none is sent; 401 when one is sent and is not a live key of an active app.
 */
@Injectable()
export class AppKeyLookup {
  constructor(private readonly tenants: TenantsService) {}

  async fromRequest(req: FastifyRequest, allowSecret = true): Promise<string | undefined> {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const header = String(req.headers.authorization ?? '');
    const m = /^(Bearer|PublicToken)\s+(\S+)\s*$/i.exec(header);
    const candidates: string[] = [];
    if (m) candidates.push(m[2]!);
    else if (header) throw unauthorized('unauthorized_credentials');
    for (const key of ['public_token', 'api_key']) if (typeof query[key] === 'string' && query[key]) candidates.push(query[key] as string);
    if (!candidates.length) return undefined;
    // Every key sent must be live; the first one names the app.
    let appId: string | undefined;
    for (const key of candidates) {
      const app = key.startsWith('pk_') ? await this.tenants.byPublicToken(key) : allowSecret && key.startsWith('sk_') ? await this.tenants.bySecretKey(key) : null;
      if (!app) throw unauthorized('unauthorized_credentials');
      appId ??= app.id;
    }
    return appId;
  }
}
