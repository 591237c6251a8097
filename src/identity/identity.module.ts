import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaptchaGate } from './captcha/captcha.js';
import { Label } from './labels/label.entity.js';
import { LabelsService } from './labels/labels.service.js';
import { Level } from './labels/level.entity.js';
import { SecondFactor } from './otp/second-factor.js';
import { IdentityGeneralController, PublicGeneralController } from './general/general.controllers.js';
import { GeneralService } from './general/general.service.js';
import { IdentityMails } from './mail/identity-mails.js';
import { IdentitySessionsController } from './sessions/identity-sessions.controller.js';
import { LoginService } from './sessions/login.service.js';
import { LoginThrottle } from './sessions/login-throttle.js';
import { SessionTokenBinding } from './sessions/session-token-binding.js';
import { SessionCookie } from './sessions/session-cookie.js';
import { SessionCredentialResolver } from './sessions/session-credential.resolver.js';
import { Session } from './sessions/session.entity.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccountService } from './users/account.service.js';
import { IdentityUsersController } from './users/identity-users.controller.js';
import { PasswordPolicy } from './users/password-policy.js';
import { PasswordResetService } from './users/password-reset.service.js';
import { RegistrationService } from './users/registration.service.js';
import { ResourceUsersController } from './users/resource-users.controller.js';
import { SuperadminBootstrap } from './users/superadmin-bootstrap.js';
import { UserPresenter } from './users/user-presenter.js';
import { BarongJwtStrategy } from './users/barong-jwt.strategy.js';
import { JwtCredentialResolver } from './users/jwt-credential.resolver.js';
import { UserChangeHooks } from './users/user-change-hooks.js';
import { UserEvents } from './users/user-events.js';
import { UserSections } from './users/user-sections.js';
import { UserToken } from './users/user-token.entity.js';
import { UserTokensService } from './users/user-tokens.service.js';
import { User } from './users/user.entity.js';
import { UsersService } from './users/users.service.js';

/** What other modules may use of identity; the rest stays inside. */
const EXPORTED = [
  UsersService,
  UserTokensService,
  PasswordPolicy,
  UserSections,
  UserPresenter,
  SessionsService,
  SessionTokenBinding,
  SessionCookie,
  LoginThrottle,
  LoginService,
  UserChangeHooks,
  UserEvents,
  LabelsService,
  SecondFactor,
  CaptchaGate,
];

/** Users, sessions and the Barong identity/public endpoints. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, UserToken, Session, Label, Level])],
  controllers: [
    IdentityGeneralController,
    PublicGeneralController,
    IdentityUsersController,
    IdentitySessionsController,
    ResourceUsersController,
  ],
  providers: [
    ...EXPORTED,
    SessionCredentialResolver,
    BarongJwtStrategy,
    JwtCredentialResolver,
    GeneralService,
    SuperadminBootstrap,
    IdentityMails,
    RegistrationService,
    PasswordResetService,
    AccountService,
  ],
  exports: EXPORTED,
})
export class IdentityModule {}
