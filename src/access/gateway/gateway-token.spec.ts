import type { BarongPrincipal } from '../../core/auth/principal.js';
import { credentialOf, gatewayClaims, GatewayTokenCache, reuseMarginSeconds } from './gateway-token.js';

describe('gateway JWT claims', () => {
  it('service accounts carry uid, email, role, level and state only', () => {
    const claims = gatewayClaims({ kind: 'service_account', uid: 'SI0123456789', email: 'sa@x.io', role: 'sa_maker', level: 3, state: 'active' }, 1000, 3600);
    expect(claims).toEqual({
      iat: 1000,
      exp: 4600,
      sub: 'session',
      iss: 'barong',
      aud: ['peatio', 'barong'],
      jti: expect.stringMatching(/^[0-9a-f]{20}$/),
      uid: 'SI0123456789',
      email: 'sa@x.io',
      role: 'sa_maker',
      level: 3,
      state: 'active',
    });
  });

  it('users carry username and referral_id (null when absent)', () => {
    const claims = gatewayClaims({ kind: 'user', uid: 'ID1', email: 'u@x.io', role: 'member', level: 1, state: 'pending' }, 0, 60);
    expect(claims).toMatchObject({ uid: 'ID1', username: null, referral_id: null, level: 1, state: 'pending', exp: 60 });
  });

  it('a fresh jti per signature', () => {
    const holder = { kind: 'user' as const, uid: 'ID1', email: 'u@x.io', role: 'member', level: 1, state: 'active' };
    expect(gatewayClaims(holder, 0, 60).jti).not.toBe(gatewayClaims(holder, 0, 60).jti);
  });

  it('a token is reused only for the same credential, holder snapshot and signing key, until the margin before expiry', () => {
    const principal = { kind: 'user', via: 'session', id: 'u', uid: 'ID1', appId: 'a', role: 'member', state: 'active', email: 'u@x.io', sessionId: 's1' } as BarongPrincipal;
    const holder = { kind: 'user' as const, uid: 'ID1', email: 'u@x.io', role: 'member', level: 1, state: 'active' };
    const cache = new GatewayTokenCache();
    const credential = credentialOf(principal);
    cache.set(credential, holder, 'k1', 'Bearer t', 10_000);
    expect(cache.get(credential, { ...holder, username: null }, 'k1', 9_999)).toBe('Bearer t');
    expect(cache.get(credentialOf({ ...principal, sessionId: 's2' } as BarongPrincipal), holder, 'k1', 0)).toBeUndefined();
    for (const changed of [{ level: 2 }, { role: 'admin' }, { state: 'banned' }, { email: 'v@x.io' }, { username: 'bob' }, { referralId: 'r' }]) {
      cache.set(credential, holder, 'k1', 'Bearer t', 10_000);
      expect(cache.get(credential, { ...holder, ...changed }, 'k1', 0)).toBeUndefined();
    }
    cache.set(credential, holder, 'k1', 'Bearer t', 10_000);
    expect(cache.get(credential, holder, 'k2', 0)).toBeUndefined();
    cache.set(credential, holder, 'k1', 'Bearer t', 10_000);
    expect(cache.get(credential, holder, 'k1', 10_000)).toBeUndefined();
    expect(reuseMarginSeconds(3600)).toBe(300);
    expect(reuseMarginSeconds(60)).toBe(30);
    expect(reuseMarginSeconds(1)).toBe(1);
  });
});
