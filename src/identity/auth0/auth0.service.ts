import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { LabelsService } from '../labels/labels.service.js';
import { LoginService } from '../sessions/login.service.js';
import { OpenedSession, SessionsService } from '../sessions/sessions.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { ID_TOKEN_VERIFIER, type IdTokenVerifier } from './id-token-verifier.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

const INVALID = 'identity.session.auth0.invalid_params';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isUniqueViolation = (err: unknown): boolean =>
  err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23505';

export interface Auth0LoginInput {
  idToken: string;
  otpCode?: string;
}

/**
 * Login with an Auth0 ID token (Barong §5.2). An unknown e-mail that Auth0 marks verified becomes an
 * active user with the private label email:verified. Unlike Barong, the account state and 2FA are
 * checked as for a password login: a banned user or a missing second factor gets no session.
 */
@Injectable()
export class Auth0Service {
  private readonly logger = new Logger('Auth0');

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly labels: LabelsService,
    private readonly sessions: SessionsService,
    private readonly logins: LoginService,
    private readonly activities: ActivitiesService,
    @Inject(ID_TOKEN_VERIFIER) private readonly verifier: IdTokenVerifier,
  ) {}

  async login(input: Auth0LoginInput, meta: RequestMeta): Promise<{ user: User; session: OpenedSession }> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(input.idToken);
    } catch (err) {
      this.logger.debug(`ID token rejected: ${(err as Error).message}`);
      throw AppError.unprocessable(INVALID);
    }
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!EMAIL.test(email)) throw AppError.unauthorized(INVALID);

    const existing = await this.users.findByEmail(email, DEFAULT_APP_ID);
    if (!existing) {
      if (claims.email_verified !== true) throw AppError.unauthorized(INVALID);
      try {
        return await this.createAndOpen(email, meta);
      } catch (err) {
        // Two first logins for the same address at once: the loser logs in as the winner's user.
        if (!isUniqueViolation(err)) throw err;
      }
      const created = await this.users.findByEmail(email, DEFAULT_APP_ID);
      if (!created) throw AppError.unauthorized(INVALID);
      return this.loginExisting(created, input, meta);
    }
    return this.loginExisting(existing, input, meta);
  }

  private createAndOpen(email: string, meta: RequestMeta): Promise<{ user: User; session: OpenedSession }> {
    return this.dataSource.transaction(async (m) => {
      const created = await this.users.create({ appId: DEFAULT_APP_ID, email, state: 'active' }, m);
      const user = await this.labels.setPrivate(m, created.id, 'email', 'verified').then(() => this.users.findById(created.id, m));
      await this.activities.record({ userId: created.id, topic: 'session', action: 'login', result: 'succeed', meta, data: { via: 'auth0' } }, m);
      const session = await this.sessions.open(user!, meta, m);
      return { user: user!, session };
    });
  }

  private loginExisting(user: User, input: Auth0LoginInput, meta: RequestMeta): Promise<{ user: User; session: OpenedSession }> {
    return this.logins.admit(user, input.otpCode, meta, 'auth0');
  }
}
