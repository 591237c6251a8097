import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { CredentialResolver } from './credential-resolver.js';
import type { CredentialKind, Principal } from './principal.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const BEARER_KIND = Symbol('bearer-kind');

/** Issuers of recent Bearer JWTs: a client sends the same token many times, so it is decoded once. */
const issuers = new Map<string, string | undefined>();
const ISSUERS_MAX = 10_000;
/** Longer values are decoded every time, so junk cannot fill the map with large keys. */
const ISSUER_TOKEN_MAX = 2048;

/** The JWT issuer claim, read without verifying anything (verification is the resolver's job). */
function unverifiedIssuer(token: string): string | undefined {
  if (issuers.has(token)) return issuers.get(token);
  const issuer = decodeIssuer(token);
  if (token.length > ISSUER_TOKEN_MAX) return issuer;
  if (issuers.size >= ISSUERS_MAX) issuers.clear();
  issuers.set(token, issuer);
  return issuer;
}

function decodeIssuer(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && typeof (claims as { iss?: unknown }).iss === 'string' ? (claims as { iss: string }).iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The registry of credential resolvers. Modules that own a credential (sessions, API keys, JWTs,
 * tenant keys) register theirs at start-up; the guard and the gateway endpoint ask here.
 * `Authorization: Bearer` credentials are dispatched on what they are, never to the first taker:
 * a key prefix (`sk_`, `pk_`) or a JWT issuer names exactly one credential kind; a Bearer value
 * nobody claims is read as this service's Barong JWT (whose resolver then refuses it).
 */
@Injectable()
export class AuthenticationService {
  private resolvers: CredentialResolver[] = [];
  private readonly bearerPrefixes = new Map<string, CredentialKind>();
  private readonly jwtIssuers = new Map<string, CredentialKind>();
  private defaultBearerKind: CredentialKind = 'jwt';

  register(resolver: CredentialResolver): void {
    if (this.resolvers.some((r) => r.kind === resolver.kind)) throw new Error(`credential resolver ${resolver.kind} is registered twice`);
    this.resolvers = [...this.resolvers, resolver].sort((a, b) => a.priority - b.priority);
  }

  /** Bearer values starting with `prefix` (e.g. `sk_`) are credentials of `kind`. */
  registerBearerPrefix(prefix: string, kind: CredentialKind): void {
    if (this.bearerPrefixes.has(prefix)) throw new Error(`bearer prefix ${prefix} is registered twice`);
    this.bearerPrefixes.set(prefix, kind);
  }

  /** Bearer JWTs whose `iss` is `issuer` are credentials of `kind`. */
  registerJwtIssuer(issuer: string, kind: CredentialKind): void {
    if (this.jwtIssuers.has(issuer)) throw new Error(`JWT issuer ${issuer} is registered twice`);
    this.jwtIssuers.set(issuer, kind);
  }

  /** The Bearer token of a request, if it sent one. */
  bearerToken(req: FastifyRequest): string | undefined {
    const header = req.headers.authorization;
    return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  }

  /** Which credential kind the request's Bearer token is (computed once per request). */
  bearerKind(req: FastifyRequest): CredentialKind | undefined {
    const cache = req as unknown as { [BEARER_KIND]?: CredentialKind | null };
    if (cache[BEARER_KIND] !== undefined) return cache[BEARER_KIND] ?? undefined;
    const token = this.bearerToken(req) ?? (/^Bearer\s/i.test(String(req.headers.authorization ?? '')) ? '' : undefined);
    let kind: CredentialKind | undefined;
    if (token !== undefined) {
      for (const [prefix, k] of this.bearerPrefixes) if (token.startsWith(prefix)) kind = k;
      if (!kind) {
        const issuer = unverifiedIssuer(token);
        kind = (issuer !== undefined ? this.jwtIssuers.get(issuer) : undefined) ?? this.defaultBearerKind;
      }
    }
    cache[BEARER_KIND] = kind ?? null;
    return kind;
  }

  /** The first present credential among the accepted kinds, verified; undefined when none is present. */
  async authenticate(req: FastifyRequest, accepts: readonly CredentialKind[]): Promise<Principal | undefined> {
    for (const resolver of this.resolvers) {
      if (!accepts.includes(resolver.kind) || !resolver.present(req)) continue;
      return resolver.resolve(req);
    }
    return undefined;
  }

  async require(req: FastifyRequest, accepts: readonly CredentialKind[]): Promise<Principal> {
    const principal = await this.authenticate(req, accepts);
    if (!principal) throw AppError.unauthorized('authz.invalid_session');
    return principal;
  }
}
