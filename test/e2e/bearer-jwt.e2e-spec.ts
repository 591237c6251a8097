import { generateKeyPairSync, sign } from 'node:crypto';
import { JwtService } from '../../src/core/crypto/jwt/jwt.service.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import { createUser, signIn } from '../support/factories.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ME = '/api/v2/barong/resource/users/me';
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Bearer JWTs on the service's own routes: verified by the passport-jwt strategy with the service's keys. */
describe('Bearer JWT on the Barong face', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function gatewayToken(): Promise<{ token: string; uid: string; id: string }> {
    const user = await createUser(t);
    const agent = await signIn(t, t.agent(), user);
    const res = await agent.get(`/api/v2/auth${ME}`);
    expect(res.status).toBe(200);
    return { token: res.headers.authorization!.slice('Bearer '.length), uid: user.uid, id: user.id };
  }

  const me = (token: string) => t.agent().get(ME, { headers: { authorization: `Bearer ${token}` } });

  it('accepts the token the gateway minted, without a cookie', async () => {
    const { token, uid } = await gatewayToken();
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body.uid).toBe(uid);
  });

  it('refuses a token whose signature, algorithm, issuer, audience or expiry is wrong', async () => {
    const { token, uid } = await gatewayToken();
    const [h, p] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const jwt = t.get(JwtService);
    const forged = [
      `${h}.${b64({ ...claims, role: 'superadmin' })}.${token.split('.')[2]}`,
      `${b64({ alg: 'none', typ: 'JWT', kid: header.kid })}.${p}.`,
      jwt.sign({ ...claims, iss: 'someone-else' }),
      jwt.sign({ ...claims, aud: ['elsewhere'] }),
      jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }),
      jwt.sign({ ...claims, sub: 'api_key' }),
    ];
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const input = `${h}.${p}`;
    forged.push(`${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`);
    for (const bad of forged) {
      const res = await me(bad);
      expect([res.status, res.body]).toEqual([401, { errors: ['jwt.decode_and_verify'] }]);
    }
    expect(claims.uid).toBe(uid);
  });

  it('does not outlive a ban', async () => {
    const { token, id } = await gatewayToken();
    await t.get(UsersService).update(id, { state: 'banned' });
    const res = await me(token);
    expect([res.status, res.body]).toEqual([401, { errors: ['authz.user_not_active'] }]);
  });
});
