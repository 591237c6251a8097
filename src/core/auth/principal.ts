/** Who is calling, whichever way they proved it. Routes declare which kinds they accept. */
export type PrincipalKind = 'user' | 'service_account' | 'network_client' | 'app';
export type CredentialKind = 'session' | 'jwt' | 'api_key' | 'secret_key';

export interface Principal {
  kind: PrincipalKind;
  via: CredentialKind;
  /** Internal id of the user (or service account). */
  id: string;
  /** Public Barong uid (ID… for users, SI… for service accounts). */
  uid: string;
  appId: string;
  role: string;
  state: string;
  email: string;
  /** Session id, when the credential was a session cookie. */
  sessionId?: string;
  /** API key id, when the credential was an API key. */
  apiKeyId?: string;
  /** Level, when the credential's resolver knows it (service accounts: their own level column). */
  level?: number;
  /** Scopes of the API key; empty means unrestricted. */
  scopes?: string[];
}
