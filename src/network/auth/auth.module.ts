import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworksModule } from '../networks/networks.module.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { NetworkAuthCode, NetworkSession, NetworkUserCode } from './auth.entity.js';
import { AuthController } from './auth.controller.js';
import { NetworkAuthService } from './network-auth.service.js';
import { NetworkCredentialResolver } from './network-credential.resolver.js';
import { NetworkMessages } from './network-messages.js';
import { NetworkTokens } from './network-tokens.service.js';

/** Sign-up, sign-in, sessions and the network JWTs. */
@Module({
  imports: [TypeOrmModule.forFeature([NetworkSession, NetworkUserCode, NetworkAuthCode]), NetworksModule],
  controllers: [AuthController],
  providers: [NetworkTokens, NetworkCredentialResolver, NetworkAuthService, AttemptLimiter, NetworkMessages],
  exports: [NetworkTokens, NetworkAuthService],
})
export class NetworkAuthModule {}
