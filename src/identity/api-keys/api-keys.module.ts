import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminApiKeysController } from './admin-api-keys.controller.js';
import { ApiKeyCredentialResolver } from './api-key-credential.resolver.js';
import { ApiKeyScopesAuthorizer } from './api-key-scopes.authorizer.js';
import { ApiKeySecretCache } from './api-key-secret-cache.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { ServiceAccount } from './service-account.entity.js';
import { ServiceAccountsController } from './service-accounts.controller.js';
import { ServiceAccountsService } from './service-accounts.service.js';
import { TotpGateGuard } from './totp-gate.guard.js';

/** API keys and service accounts, and HMAC request authentication. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKey, ServiceAccount])],
  controllers: [ApiKeysController, ServiceAccountsController, AdminApiKeysController],
  providers: [
    ApiKeySecretCache,
    ApiKeysService,
    ServiceAccountsService,
    ApiKeyCredentialResolver,
    ApiKeyScopesAuthorizer,
    TotpGateGuard,
  ],
  exports: [ApiKeysService, ServiceAccountsService],
})
export class ApiKeysModule {}
