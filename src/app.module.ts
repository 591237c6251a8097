import { DynamicModule, Global, Module } from '@nestjs/common';
import { AccessModule } from './access/access.module.js';
import { AuditModule } from './core/audit/audit.module.js';
import { AuthModule } from './core/auth/auth.module.js';
import { BackgroundModule } from './core/background/background-work.js';
import type { AppConfig } from './core/config/app-config.js';
import { ConfigModule } from './core/config/config.module.js';
import { ClockModule } from './core/time/clock.js';
import type { FaceRegistry } from './core/faces/face-registry.js';
import { FacesModule } from './core/faces/faces.module.js';
import { CryptoModule } from './core/crypto/crypto.module.js';
import { JwtModule } from './core/crypto/jwt/jwt.module.js';
import { DatabaseModule } from './core/database/database.module.js';
import { HealthController } from './core/health/health.controller.js';
import { KvModule } from './core/kv/kv.module.js';
import { MessagingModule } from './core/messaging/messaging.module.js';
import { ObservabilityModule } from './core/observability/observability.module.js';
import { OPENAPI_DOCUMENT, OpenApiDocumentHolder } from './core/openapi.js';
import { SwaggerUiController } from './core/swagger-ui.controller.js';
import { AdminModule } from './access/admin/admin.module.js';
import { GatewayModule } from './access/gateway/gateway.module.js';
import { RestrictionsModule } from './access/restrictions/restrictions.module.js';
import { ApiKeysModule } from './identity/api-keys/api-keys.module.js';
import { Auth0Module } from './identity/auth0/auth0.module.js';
import { CaptchaModule } from './identity/captcha/captcha.module.js';
import { DocumentsModule } from './identity/documents/documents.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { LabelsModule } from './identity/labels/labels.module.js';
import { OtpModule } from './identity/otp/otp.module.js';
import { TenantsModule } from './identity/tenants/tenants.module.js';
import { ConsoleController } from './console-host/console.controller.js';
import { NetworkModule } from './network/network.module.js';
import { PlatformModule } from './platform/platform.module.js';

@Global()
@Module({
  providers: [{ provide: OPENAPI_DOCUMENT, useValue: new OpenApiDocumentHolder() }],
  exports: [OPENAPI_DOCUMENT],
})
class OpenApiModule {}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, faces: FaceRegistry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        FacesModule.forRoot(faces),
        DatabaseModule,
        CryptoModule,
        JwtModule,
        KvModule,
        BackgroundModule,
        MessagingModule,
        AuthModule,
        OpenApiModule,
        ObservabilityModule,
        TenantsModule,
        AuditModule,
        IdentityModule,
        RestrictionsModule,
        AccessModule,
        GatewayModule,
        AdminModule,
        OtpModule,
        ApiKeysModule,
        LabelsModule,
        DocumentsModule,
        CaptchaModule,
        Auth0Module,
        NetworkModule,
        PlatformModule,
      ],
      controllers: [HealthController, SwaggerUiController, ConsoleController],
    };
  }
}
