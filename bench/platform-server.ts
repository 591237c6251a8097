import { TenantsService } from '../src/identity/tenants/tenants.service.js';
import { PlatformSessionsService } from '../src/platform/sessions/platform-sessions.service.js';
import { PlatformUsersService } from '../src/platform/users/platform-users.service.js';
import { runServiceChild } from './service-child.js';

/** The service under test for the platform bench, with a control channel to seed a tenant and sessions. */
runServiceChild((app) => ({
  /** A tenant app and `count` users, each with a live session (an email OTP factor). */
  seed: async (args) => {
    const { app: tenant, secretKey } = await app.get(TenantsService).create('Bench');
    const users = app.get(PlatformUsersService);
    const sessions = app.get(PlatformSessionsService);
    const tokens: string[] = [];
    const jwts: string[] = [];
    for (let i = 0; i < Number(args.count); i++) {
      const result = await users.transaction(async (m) => {
        const { user, email } = await users.create(m, tenant.id, { email: `bench-${i}@bench.example`, status: 'active' });
        const factor = { type: 'otp', delivery_channel: 'email', method: { method_id: email!.id, method_type: 'email', email: email!.email, last_verified_at: Math.floor(Date.now() / 1000) } };
        return sessions.establish(m, user, factor, { expiresIn: 24 * 60 }, { ip: '', user_agent: 'bench' });
      });
      tokens.push(result.session_token);
      jwts.push(result.session_jwt);
    }
    return { secretKey, tokens, jwts };
  },
}));
