import { Module } from '@nestjs/common';
import { FaceRegistry } from '../core/faces/face-registry.js';
import { PlatformAppsModule } from './apps/apps.module.js';
import { PlatformOauthModule } from './oauth/oauth.module.js';
import { PlatformOtpsModule } from './otps/otps.module.js';
import { PlatformPasswordsModule } from './passwords/passwords.module.js';
import { PLATFORM_FACE } from './platform.face.js';
import { PlatformSessionsModule } from './sessions/sessions.module.js';
import { PlatformTotpsModule } from './totps/totps.module.js';
import { PlatformTransfersModule } from './transfers/transfers.module.js';
import { PlatformUsersModule } from './users/users.module.js';
import { PlatformWalletsModule } from './wallets/wallets.module.js';

/** The /v1 face (Streambird-style platform API) over the shared identity store. */
@Module({
  imports: [
    PlatformAppsModule,
    PlatformUsersModule,
    PlatformSessionsModule,
    PlatformOtpsModule,
    PlatformTotpsModule,
    PlatformPasswordsModule,
    PlatformWalletsModule,
    PlatformTransfersModule,
    PlatformOauthModule,
  ],
})
export class PlatformModule {
  constructor(faces: FaceRegistry) {
    faces.register(PLATFORM_FACE);
  }
}
