import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { randomAlnum } from '../../identity/tenants/tenants.service.js';
import { badRequest, notFound } from '../common/errors.js';
import { pid } from '../common/ids.js';
import { deviceFingerprintOf, type Input, optString } from '../common/input.js';
import { PlatformSessionsService } from '../sessions/platform-sessions.service.js';
import { sessionParamsOf } from '../sessions/session-params.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import { PlatformEmail } from '../users/user.entity.js';
import { PlatformOauthProvider, PlatformOauthState, PlatformOauthToken } from './oauth.entity.js';

export const OAUTH_PROVIDERS = ['google', 'apple', 'microsoft', 'discord', 'github'] as const;
export type OauthProviderName = (typeof OAUTH_PROVIDERS)[number];

/** Each provider's authorize endpoint and the scopes Streambird asks for. */
const AUTHORIZE: Record<OauthProviderName, { url: string; scope: string; extra?: Record<string, string> }> = {
  google: { url: 'https://accounts.google.com/o/oauth2/v2/auth', scope: 'openid email profile' },
  apple: { url: 'https://appleid.apple.com/auth/authorize', scope: 'name email', extra: { response_mode: 'form_post' } },
  microsoft: { url: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize', scope: 'openid email profile' },
  discord: { url: 'https://discord.com/oauth2/authorize', scope: 'email identify' },
  github: { url: 'https://github.com/login/oauth/authorize', scope: 'read:user user:email' },
};
const STATE_MS = 10 * 60_000;
const TOKEN_MS = 10 * 60_000;

/** OAuth sign-in: begin (redirect to the provider with a one-time state) and verify (redeem the token). */
@Injectable()
export class OauthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
    private readonly users: PlatformUsersService,
    private readonly sessions: PlatformSessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sets an app's credentials at a provider (operator tooling and tests). */
  async configure(appId: string, provider: OauthProviderName, clientId: string, clientSecret: string, redirectUrls: string[]): Promise<void> {
    await this.dataSource.manager.upsert(
      PlatformOauthProvider,
      { id: uuidv7(), appId, provider, clientId, clientSecretSealed: this.sealer.seal(clientSecret, 'platform-oauth-client'), redirectUrls },
      ['appId', 'provider'],
    );
  }

  async begin(appId: string, provider: OauthProviderName, query: Input): Promise<string> {
    const config = await this.dataSource.manager.findOne(PlatformOauthProvider, { where: { appId, provider } });
    if (!config) throw notFound('oauth_config_not_found', `${provider} OAuth is not configured for this app`);
    const pick = (key: string): string => {
      const url = optString(query, key) ?? '';
      if (url && !config.redirectUrls.includes(url)) throw badRequest('invalid_redirect_url', `${key} is not on the app's allow-list`);
      return url || config.redirectUrls[0] || '';
    };
    const login = pick('login_redirect_url');
    const registration = pick('registration_redirect_url');
    const state = `${provider}-${randomAlnum(56)}`;
    await this.dataSource.manager.insert(PlatformOauthState, {
      id: uuidv7(),
      appId,
      stateHash: sha256Hex(state),
      provider,
      loginRedirectUrl: login,
      registrationRedirectUrl: registration,
      expiresAt: new Date(Date.now() + STATE_MS),
    });
    const target = AUTHORIZE[provider];
    const url = new URL(target.url);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('redirect_uri', `${this.config.publicUrl}/v1/auth/oauth/${provider}/callback`);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', target.scope);
    url.searchParams.set('state', state);
    for (const [k, v] of Object.entries(target.extra ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  async verify(appId: string, input: Input): Promise<Record<string, unknown>> {
    const token = optString(input, 'token');
    if (!token) throw badRequest('bad_request', 'token is required');
    const idpOnly = optString(input, 'session_type') === 'idp';
    const params = sessionParamsOf(input);
    const fingerprint = deviceFingerprintOf(input);
    return this.dataSource.transaction(async (m) => {
      const row = await m.findOne(PlatformOauthToken, { where: { appId, tokenHash: sha256Hex(token), usedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.expiresAt.getTime() <= Date.now()) throw notFound('oauth_token_not_found');
      await m.update(PlatformOauthToken, { id: row.id }, { usedAt: new Date() });
      const user = await this.users.find(appId, row.userId, m);
      if (!user) throw notFound('oauth_token_not_found');
      await this.users.activate(m, user);
      const email = row.emailId ? await m.findOne(PlatformEmail, { where: { id: row.emailId } }) : null;
      const idp = JSON.parse(this.sealer.open(row.idpTokensSealed, 'platform-oauth-idp')) as { access_token: string; refresh_token: string };
      const emailId = email ? pid('email', email.id) : '';
      const session = idpOnly
        ? { session: null, session_token: '', session_jwt: '' }
        : await this.sessions.establish(
            m,
            user,
            { type: 'oauth', delivery_channel: `${row.provider}_oauth`, method: { method_id: emailId, method_type: 'email', email_id: emailId, email: email?.email ?? '', provider_subject: row.providerSubject, last_verified_at: Math.floor(Date.now() / 1000) } },
            params,
            fingerprint,
          );
      return { provider_subject: row.providerSubject, provider: row.provider, user_id: pid('user', user.id), idp_session: { idp: idp }, ...session };
    });
  }

  /** What the provider callback does once it knows the user: a single-use token for oauth/verify. */
  async issueToken(appId: string, userId: string, provider: OauthProviderName, subject: string, emailId: string | null, idp: { access_token: string; refresh_token: string }): Promise<string> {
    const token = randomAlnum(64);
    await this.dataSource.manager.insert(PlatformOauthToken, {
      id: uuidv7(),
      appId,
      userId,
      tokenHash: sha256Hex(token),
      provider,
      providerSubject: subject,
      emailId,
      idpTokensSealed: this.sealer.seal(JSON.stringify(idp), 'platform-oauth-idp'),
      expiresAt: new Date(Date.now() + TOKEN_MS),
      usedAt: null,
    });
    return token;
  }
}
