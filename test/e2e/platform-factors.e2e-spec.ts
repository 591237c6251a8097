import { generateKeyPairSync, sign } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import bs58 from 'bs58';
import { generate } from 'otplib';
import { fromPublicId } from '../../src/core/database/public-id.js';
import { OauthService } from '../../src/platform/oauth/oauth.service.js';
import { personalSignDigest } from '../../src/platform/wallets/chains.js';
import { controlClock } from '../support/otp.js';
import { createTenant, expectSbError, lastCode, PlatformClient, superadmin, type TenantApp } from '../support/platform.js';
import { createTestApp, TestApp } from '../support/test-app.js';

/** An Ethereum account as a wallet holds it: personal_sign gives r‖s‖v with v 27/28. */
function ethAccount() {
  const sk = secp256k1.utils.randomSecretKey();
  const address = '0x' + Buffer.from(keccak_256(secp256k1.getPublicKey(sk, false).slice(1)).slice(-20)).toString('hex');
  const personalSign = (message: string): string => {
    const sig = secp256k1.sign(personalSignDigest(message), sk, { prehash: false, format: 'recovered' });
    return '0x' + Buffer.concat([Buffer.from(sig.slice(1)), Buffer.from([27 + sig[0]!])]).toString('hex');
  };
  return { address, personalSign };
}

function solAccount() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { address: bs58.encode(raw), signMessage: (m: string) => bs58.encode(sign(null, Buffer.from(m, 'utf8'), privateKey)) };
}

describe('platform face: TOTP, passwords, wallet sign-in, OAuth', () => {
  let t: TestApp;
  let a: PlatformClient;
  let b: PlatformClient;
  let appA: TenantApp;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await superadmin(t);
    ({ app: appA, client: a } = await createTenant(t, admin, 'Vault'));
    b = (await createTenant(t, admin, 'Other')).client;
  });
  afterAll(() => t?.close());

  const otpSession = async (email: string) => {
    const sent = await a.post('/v1/auth/otps/email/login_or_create', { email });
    return (await a.post('/v1/auth/otps/verify', { method_id: sent.body.email_id, otp: await lastCode(t, email), session_expires_in: 60 })).body;
  };

  it('TOTP: create (secret, otpauth QR PNG, 16 recovery codes), verify once per step, recovery codes once, delete', async () => {
    const user = (await a.post('/v1/auth/users/create', { email: 'totp@example.com' })).body;
    const created = await a.post('/v1/auth/totps/create', { user_id: user.user_id });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ user_id: user.user_id, totp_id: expect.stringMatching(/^totp_/), secret: expect.stringMatching(/^[A-Z2-7]{32}$/) });
    expect(created.body.recovery_codes).toHaveLength(16);
    expect(created.body.recovery_codes.every((c: string) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c))).toBe(true);
    const png = Buffer.from(created.body.qr_base64.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const row = await t.dataSource.query('SELECT secret_sealed, recovery_codes_sealed FROM platform_totps');
    expect(JSON.stringify(row)).not.toContain(created.body.secret);
    expect(JSON.stringify(row)).not.toContain(created.body.recovery_codes[0]);

    const clock = controlClock();
    try {
      const code = await generate({ secret: created.body.secret, epoch: Math.floor(Date.now() / 1000) });
      const ok = await a.post('/v1/auth/totps/verify', { user_id: user.user_id, totp: code, session_expires_in: 30 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ totp_id: created.body.totp_id, user_id: user.user_id, session_token: expect.any(String) });
      expect(ok.body.session.factors[0]).toMatchObject({ type: 'totp', delivery_channel: 'totp_authenticator', method: { method_type: 'totp', totp_id: created.body.totp_id, method_id: created.body.totp_id } });
      expectSbError(await a.post('/v1/auth/totps/verify', { user_id: user.user_id, totp: code }), 401, 'unable_to_authenticate_totp');
      clock.nextStep();
      clock.nextStep();
      const next = await generate({ secret: created.body.secret, epoch: Math.floor(Date.now() / 1000) });
      const added = await a.post('/v1/auth/totps/verify', { user_id: user.user_id, totp: next, session_token: ok.body.session_token });
      expect(added.body.session.id).toBe(ok.body.session.id);
    } finally {
      clock.restore();
    }
    expectSbError(await a.post('/v1/auth/totps/verify', { user_id: user.user_id, totp: 'abc' }), 400);
    expectSbError(await b.post('/v1/auth/totps/verify', { user_id: user.user_id, totp: '123456' }), 404, 'user_not_found');
    expect((await a.get(`/v1/auth/users/${user.user_id}`)).body.totps).toEqual([{ id: created.body.totp_id, user_id: user.user_id, verified: true, created_at: expect.any(Number), updated_at: expect.any(Number) }]);

    const codes = await a.post('/v1/auth/totps/recovery_codes', { user_id: user.user_id });
    expect(codes.body).toEqual({ user_id: user.user_id, totps: [{ id: created.body.totp_id, verified: true, recovery_codes: created.body.recovery_codes }] });
    const rec = await a.post('/v1/auth/totps/recovery', { user_id: user.user_id, recovery_code: created.body.recovery_codes[0], session_expires_in: 10 });
    expect(rec.status).toBe(200);
    expect(rec.body.session.factors[0].delivery_channel).toBe('totp_recovery_code');
    expectSbError(await a.post('/v1/auth/totps/recovery', { user_id: user.user_id, recovery_code: created.body.recovery_codes[0] }), 401, 'unable_to_authenticate_recovery_code');
    expect((await a.post('/v1/auth/totps/recovery', { user_id: user.user_id, totp: created.body.recovery_codes[1] })).status).toBe(200);
    expect((await a.post('/v1/auth/totps/recovery_codes', { user_id: user.user_id })).body.totps[0].recovery_codes).toHaveLength(14);

    expectSbError(await b.delete(`/v1/auth/users/totps/${created.body.totp_id}/delete`), 404, 'totp_not_found');
    expect((await a.delete(`/v1/auth/users/totps/${created.body.totp_id}/delete`)).body).toEqual({ message: 'Successfully deleted user totp', user_id: user.user_id });
    expectSbError(await a.post('/v1/auth/totps/verify', { user_id: user.user_id, totp: '123456' }), 404, 'totp_not_found');
    expectSbError(await a.post('/v1/auth/totps/create', { user_id: user.user_id, expires_in: 1 }), 400, 'invalid_expiration');
    // Guessing is cut off: 10 wrong codes in 5 minutes, then 429 even for a right one.
    const guesser = (await a.post('/v1/auth/users/create', { email: 'guess@example.com' })).body;
    const g = (await a.post('/v1/auth/totps/create', { user_id: guesser.user_id })).body;
    const right = await generate({ secret: g.secret });
    const wrongCode = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 10; i++) expectSbError(await a.post('/v1/auth/totps/verify', { user_id: guesser.user_id, totp: wrongCode }), 401, 'unable_to_authenticate_totp');
    expectSbError(await a.post('/v1/auth/totps/verify', { user_id: guesser.user_id, totp: right }), 429, 'too_many_requests');
    expectSbError(await a.post('/v1/auth/totps/create', {}), 400, 'invalid_user_id');
  });

  it('passwords: strength with zxcvbn, session/update needs an OTP factor, verify adds a password factor, lockout', async () => {
    const weak = await a.post('/v1/auth/passwords/strength_check', { password: 'password1' });
    expect(weak.body).toMatchObject({ score: 0, valid_password: false, crack_time_display: expect.any(String), feedback: { warning: expect.any(String) } });
    expect(typeof weak.body.crack_time).toBe('number');
    const strong = await a.post('/v1/auth/passwords/strength_check', { password: 'correct horse battery staple 9!' });
    expect(strong.body.score).toBe(4);
    expect(strong.body.crack_time).toBeGreaterThan(weak.body.crack_time);
    expectSbError(await a.post('/v1/auth/passwords/strength_check', {}), 400);

    const otp = await otpSession('pw@example.com');
    const set = await a.post('/v1/auth/passwords/session/update', { password: 'samplepass', session_token: otp.session_token });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ user_id: otp.user_id, session: { id: otp.session.id } });
    expect(set.body.session.factors.map((f: { type: string }) => f.type)).toEqual(['otp', 'password']);
    const digest = await t.dataSource.query('SELECT password_digest FROM users WHERE id = $1', [fromPublicId('user', otp.user_id)]);
    expect(digest[0].password_digest).toMatch(/^\$argon2id\$/);
    expectSbError(await a.post('/v1/auth/passwords/session/update', { password: 'samplepass' }), 400, 'no_session_arguments');
    expectSbError(await a.post('/v1/auth/passwords/session/update', { password: 'samplepass', session_token: 'nope' }), 404, 'session_not_found');
    expectSbError(await a.post('/v1/auth/passwords/session/update', { password: 'short', session_token: otp.session_token }), 400);

    // A session that holds only a TOTP factor cannot set a password.
    const totpUser = (await a.post('/v1/auth/users/create', { email: 'pw-totp@example.com' })).body;
    const totp = (await a.post('/v1/auth/totps/create', { user_id: totpUser.user_id })).body;
    const totpSession = await a.post('/v1/auth/totps/verify', { user_id: totpUser.user_id, totp: await generate({ secret: totp.secret }), session_expires_in: 10 });
    expectSbError(await a.post('/v1/auth/passwords/session/update', { password: 'samplepass', session_token: totpSession.body.session_token }), 400, 'insufficient_factors');

    const verified = await a.post('/v1/auth/passwords/verify', { user_id: otp.user_id, password: 'samplepass', session_expires_in: 60 });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ user_id: otp.user_id, session_token: expect.any(String), session_jwt: expect.any(String) });
    expect(verified.body.session.factors[0]).toMatchObject({ type: 'password', delivery_channel: 'password' });
    const bySession = await a.post('/v1/auth/passwords/verify', { password: 'samplepass', session_token: verified.body.session_token });
    expect(bySession.body.session.id).toBe(verified.body.session.id);
    expectSbError(await a.post('/v1/auth/passwords/verify', { user_id: totpUser.user_id, password: 'samplepass' }), 401, 'unauthorized_credentials');
    expectSbError(await b.post('/v1/auth/passwords/verify', { user_id: otp.user_id, password: 'samplepass' }), 404, 'user_not_found');
    for (let i = 0; i < 5; i++) expectSbError(await a.post('/v1/auth/passwords/verify', { user_id: otp.user_id, password: 'wrongpass' }), 401, 'unauthorized_credentials');
    expectSbError(await a.post('/v1/auth/passwords/verify', { user_id: otp.user_id, password: 'samplepass' }), 429, 'too_many_requests');
  });

  it('Ethereum wallet sign-in: challenge, personal_sign, once, a new pending user becomes active', async () => {
    const eth = ethAccount();
    const begin = await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'ETH', public_address: eth.address.toUpperCase().replace('0X', '0x') });
    expect(begin.status).toBe(200);
    expect(begin.body).toMatchObject({ id: expect.stringMatching(/^walletrr_/), app_id: appA.app_id, user_id: expect.stringMatching(/^user_/), public_address: eth.address, wallet_type: 'ETH', challenge: expect.stringMatching(/^Login for Vault: [A-Za-z0-9_-]{43}$/) });
    expect(begin.body.expires_at - begin.body.created_at).toBe(600);
    expectSbError(await a.post('/v1/auth/wallets/verify', { wallet_type: 'ETH', public_address: eth.address, signature: eth.personalSign('something else') }), 401, 'unable_to_authenticate_crypto_wallet');
    const ok = await a.post('/v1/auth/wallets/verify', { wallet_type: 'ethereum', public_address: eth.address, signature: eth.personalSign(begin.body.challenge), session_expires_in: 60 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: expect.stringMatching(/^wallet_/), user_id: begin.body.user_id, public_address: eth.address, wallet_type: 'ETH', is_imported: true, is_read_only: true, is_ready_only: true, is_default: false, verified: true });
    expect(ok.body.session.factors[0]).toMatchObject({ type: 'wallet', delivery_channel: 'eth_wallet', method: { wallet_public_address: eth.address, method_type: 'wallet' } });
    expectSbError(await a.post('/v1/auth/wallets/verify', { wallet_type: 'ETH', public_address: eth.address, signature: eth.personalSign(begin.body.challenge) }), 404, 'wallet_registration_not_found');
    expect((await a.get(`/v1/auth/users/${begin.body.user_id}`)).body.status).toBe('active');

    // The same address signs in to the same user; another user_id for it is refused.
    const again = await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'ETH', public_address: eth.address });
    expect(again.body.user_id).toBe(begin.body.user_id);
    const other = (await a.post('/v1/auth/users/create', { email: 'other-wallet@example.com' })).body;
    expectSbError(await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'ETH', public_address: eth.address, user_id: other.user_id }), 400, 'duplicate_wallet_address');
    expectSbError(await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'ETH', public_address: '0x123' }), 400, 'invalid_crypto_wallet_address');
    expectSbError(await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'DOGE', public_address: eth.address }), 400, 'invalid_wallet_type');
    expectSbError(await b.post('/v1/auth/wallets/verify', { wallet_type: 'ETH', public_address: eth.address, signature: eth.personalSign(again.body.challenge) }), 404, 'wallet_registration_not_found');

    // An expired challenge is refused.
    const clock = controlClock();
    try {
      clock.advance(11 * 60_000);
      expectSbError(await a.post('/v1/auth/wallets/verify', { wallet_type: 'ETH', public_address: eth.address, signature: eth.personalSign(again.body.challenge) }), 404, 'wallet_registration_not_found');
    } finally {
      clock.restore();
    }
    // The imported wallet can be deleted; a custodial one cannot.
    const user = (await a.get(`/v1/auth/users/${begin.body.user_id}`)).body;
    const imported = user.wallets.find((w: { is_imported: boolean }) => w.is_imported);
    const custodial = user.wallets.find((w: { is_imported: boolean }) => !w.is_imported);
    expectSbError(await a.delete(`/v1/auth/users/wallets/${custodial.id}/delete`), 400, 'cannot_delete_managed_wallet');
    expectSbError(await b.delete(`/v1/auth/users/wallets/${imported.id}/delete`), 404, 'wallet_not_found');
    expect((await a.delete(`/v1/auth/users/wallets/${imported.id}/delete`)).body).toEqual({ message: 'Successfully deleted user wallet', user_id: begin.body.user_id });
  });

  it('Solana wallet sign-in for an existing user: ed25519 over the challenge, base58', async () => {
    const sol = solAccount();
    const user = (await a.post('/v1/auth/users/create', { email: 'sol@example.com' })).body;
    const begin = await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'SOL', public_address: sol.address, user_id: user.user_id });
    expect(begin.body).toMatchObject({ user_id: user.user_id, public_address: sol.address, wallet_type: 'SOL' });
    expectSbError(await a.post('/v1/auth/wallets/verify', { wallet_type: 'SOL', public_address: sol.address, signature: 'notbase58!!' }), 401, 'unable_to_authenticate_crypto_wallet');
    const ok = await a.post('/v1/auth/wallets/verify', { wallet_type: 'SOL', public_address: sol.address, signature: sol.signMessage(begin.body.challenge) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ wallet_type: 'SOL', public_address: sol.address, session: null, session_token: '' });
    expectSbError(await a.post('/v1/auth/wallets/registrations/begin', { wallet_type: 'SOL', public_address: 'abc' }), 400, 'invalid_crypto_wallet_address');
  });

  it('OAuth begin: the public token, a configured provider, a redirect with state; verify redeems its token once', async () => {
    const anon = t.agent();
    expectSbError(await anon.get('/v1/auth/oauth/google/begin'), 401, 'unauthorized_credentials');
    expectSbError(await anon.get('/v1/auth/oauth/google/begin', { query: { public_token: 'pk_test_nope' } }), 401, 'unauthorized_credentials');
    expectSbError(await anon.get('/v1/auth/oauth/google/begin', { query: { public_token: appA.public_token } }), 404, 'oauth_config_not_found');
    const oauth = t.get(OauthService);
    const appId = fromPublicId('app', appA.app_id)!;
    for (const p of ['google', 'apple', 'microsoft', 'discord', 'github'] as const) await oauth.configure(appId, p, `client-${p}`, 'secret', ['https://shop.example.com/login']);
    const res = await anon.get('/v1/auth/oauth/google/begin', { query: { public_token: appA.public_token } });
    expect(res.status).toBe(200);
    const url = new URL(res.body.redirect_url);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('client_id')).toBe('client-google');
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    expect(url.searchParams.get('state')).toMatch(/^google-[A-Za-z0-9]{48,64}$/);
    for (const p of ['apple', 'microsoft', 'discord', 'github']) {
      const r = await anon.get(`/v1/auth/oauth/${p}/begin`, { query: { public_token: appA.public_token, redirect: true }, headers: { authorization: `Bearer ${appA.public_token}` } });
      expect(r.status).toBe(302);
      expect(r.headers.location).toBe(r.body.redirect_url);
    }
    expectSbError(await anon.get('/v1/auth/oauth/github/begin', { query: { public_token: appA.public_token, login_redirect_url: 'https://evil.example.com' } }), 400, 'invalid_redirect_url');

    const user = (await a.post('/v1/auth/users/create', { email: 'oauth@example.com' })).body;
    const token = await oauth.issueToken(appId, fromPublicId('user', user.user_id)!, 'google', 'google-sub-1', fromPublicId('email', user.email_id)!, { access_token: 'at', refresh_token: 'rt' });
    expectSbError(await b.post('/v1/auth/oauth/verify', { token }), 404, 'oauth_token_not_found');
    const verified = await a.post('/v1/auth/oauth/verify', { token, session_expires_in: 60 });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ provider: 'google', provider_subject: 'google-sub-1', user_id: user.user_id, idp_session: { idp: { access_token: 'at', refresh_token: 'rt' } } });
    expect(verified.body.session.factors[0]).toMatchObject({ type: 'oauth', delivery_channel: 'google_oauth' });
    expectSbError(await a.post('/v1/auth/oauth/verify', { token }), 404, 'oauth_token_not_found');
    expectSbError(await a.post('/v1/auth/oauth/verify', {}), 400);
  });
});
