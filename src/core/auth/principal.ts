/**
 * Who is calling, whichever way they proved it. A discriminated union on `kind` (and, for people,
 * on `via`), so code cannot read a field the caller's kind lacks. Routes declare which credential
 * kinds they accept; their face gives the default.
 */
export type CredentialKind =
  /** The Barong session cookie. */
  | 'session'
  /** A Bearer JWT this service issued for a Barong session (the gateway's token). */
  | 'jwt'
  /** Barong API-key HMAC headers. */
  | 'api_key'
  /** A tenant app's secret key, `Bearer sk_...`. */
  | 'app_secret_key'
  /** A tenant app's public token, `Bearer pk_...` (only where a face allows it). */
  | 'app_public_token'
  /** A URnetwork admin or client JWT. */
  | 'network_jwt';

interface BarongPerson {
  kind: 'user';
  /** Internal id of the user. */
  id: string;
  /** Public Barong uid (ID...). */
  uid: string;
  appId: string;
  role: string;
  state: string;
  email: string;
  level?: number;
}

export interface PersonBySession extends BarongPerson {
  via: 'session';
  sessionId: string;
}

export interface PersonByJwt extends BarongPerson {
  via: 'jwt';
  /** The session the token was minted for, when it names one (tokens do not outlive their session). */
  sessionId?: string;
}

export interface PersonByApiKey extends BarongPerson {
  via: 'api_key';
  apiKeyId: string;
  /** Scopes of the API key; empty means unrestricted. */
  scopes: string[];
}

/** A service account by its API key; `uid` is SI..., and its level is its own column. */
export interface ServiceAccountPrincipal extends Omit<BarongPerson, 'kind' | 'level'> {
  kind: 'service_account';
  via: 'api_key';
  level: number;
  apiKeyId: string;
  scopes: string[];
}

/** A tenant app's backend, by its secret key (or its public token where allowed). */
export interface AppPrincipal {
  kind: 'app';
  via: 'app_secret_key' | 'app_public_token';
  appId: string;
}

interface NetworkCaller {
  via: 'network_jwt';
  appId: string;
  networkId: string;
  networkName: string;
  /** Internal id of the network's owner (a user of the default tenant). */
  userId: string;
  /** The login session the token belongs to; revoked sessions make their tokens fail. */
  sessionId?: string;
}

/** The network's own admin JWT (`by_jwt`): no client. */
export interface NetworkAdminPrincipal extends NetworkCaller {
  kind: 'network_admin';
}

/** A client device's JWT (`by_client_jwt`). */
export interface NetworkClientPrincipal extends NetworkCaller {
  kind: 'network_client';
  clientId: string;
  deviceId: string;
}

export type PersonPrincipal = PersonBySession | PersonByJwt | PersonByApiKey;
/** The callers of the Barong face: people and service accounts of the default tenant. */
export type BarongPrincipal = PersonPrincipal | ServiceAccountPrincipal;
export type NetworkPrincipal = NetworkAdminPrincipal | NetworkClientPrincipal;
export type Principal = BarongPrincipal | AppPrincipal | NetworkPrincipal;
export type PrincipalKind = Principal['kind'];

export const isBarongPrincipal = (p: Principal | undefined): p is BarongPrincipal => p?.kind === 'user' || p?.kind === 'service_account';

/** The Barong session behind a principal, when it has one (a cookie, or a JWT minted for a session). */
export const sessionIdOf = (p: Principal): string | undefined => (p.kind === 'user' && p.via !== 'api_key' ? p.sessionId : undefined);

/** The API key behind a principal, when it authenticated with one. */
export const apiKeyIdOf = (p: Principal): string | undefined => ((p.kind === 'user' || p.kind === 'service_account') && p.via === 'api_key' ? p.apiKeyId : undefined);
