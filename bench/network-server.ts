import { DataSource } from 'typeorm';
import { UsersService } from '../src/identity/users/users.service.js';
import { NetworkTokens } from '../src/network/auth/network-tokens.service.js';
import { ClientsService } from '../src/network/clients/clients.service.js';
import { LocationsService } from '../src/network/locations/locations.service.js';
import { NetworksService } from '../src/network/networks/networks.service.js';
import { runServiceChild } from './service-child.js';
import { DEFAULT_APP_ID } from '../src/identity/tenants/app.entity.js';

/**
 * The service under test for the network-face benchmark, started as production starts it, plus a
 * control channel: seeding networks (owner, admin JWT, optional clients) and event-loop sampling.
 */
runServiceChild((app) => ({
  /** Waits until the location index is built (it is built in the background at start). */
  locationsReady: async () => {
    const catalog = await app.get(LocationsService).catalog();
    return Array.from({ length: catalog.table.size }, (_, i) => catalog.table.name(i));
  },
  /** `count` verified networks with an admin JWT each; the first `withClients` get `clients` clients. */
  seedNetworks: async (args) => {
    const count = Number(args.count);
    const users = app.get(UsersService);
    const networks = app.get(NetworksService);
    const tokens = app.get(NetworkTokens);
    const clients = app.get(ClientsService);
    const ds = app.get(DataSource);
    const jwts: string[] = [];
    const one = async (i: number): Promise<void> => {
      const jwt = await ds.transaction(async (m) => {
        const user = await users.create({ appId: DEFAULT_APP_ID, email: `bench-net-${i}@bench.example`, password: 'bench-network-passw0rd', state: 'active' }, m);
        const network = await networks.create(m, { name: `benchnetwork${i}x`, ownerUserId: user.id });
        const subject = await tokens.openSession(m, { networkId: network.id, networkName: network.name, userId: user.id, via: 'password' });
        if (i < Number(args.withClients ?? 0)) {
          for (let k = 0; k < Number(args.clients ?? 0); k++) await clients.insertClient(m, { networkId: network.id, description: `bench device ${k}`, deviceSpec: 'bench', countryCode: null });
        }
        return tokens.adminJwt(subject);
      });
      jwts[i] = jwt;
    };
    for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => one(i + k)));
    return jwts;
  },
}));
