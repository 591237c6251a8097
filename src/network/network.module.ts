import { Module } from '@nestjs/common';
import { FaceRegistry } from '../core/faces/face-registry.js';
import { NetworkAuthModule } from './auth/auth.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { ConnectModule } from './connect/connect.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { HelloController } from './hello.controller.js';
import { LocationsModule } from './locations/locations.module.js';
import { NETWORK_FACE } from './network.face.js';
import { NetworksModule } from './networks/networks.module.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { StatsModule } from './stats/stats.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { WalletsModule } from './wallets/wallets.module.js';

/**
 * The URnetwork face. Unknown root paths speak its dialect, and its apps' `text/json` bodies are
 * parsed as JSON (they send that content type on every POST).
 */
@Module({
  imports: [NetworksModule, NetworkAuthModule, ClientsModule, LocationsModule, DevicesModule, ConnectModule, WalletsModule, SubscriptionsModule, StatsModule, PreferencesModule],
  controllers: [HelloController],
})
export class NetworkModule {
  constructor(faces: FaceRegistry) {
    faces.register(NETWORK_FACE, { fallback: true });
  }
}
