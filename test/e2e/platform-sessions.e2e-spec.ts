import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { fromPublicId } from '../../src/core/database/public-id.js';
import { AppSigningKeysService } from '../../src/platform/sessions/app-signing-keys.service.js';
import { createTenant, expectSbError, lastCode, PlatformClient, superadmin, type TenantApp } from '../support/platform.js';
import { createTestApp, TestApp } from '../support/test-app.js';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';

describe('platform face: one-time codes, sessions and JWKS', () => {
  let t: TestApp;
  let a: PlatformClient;
  let b: PlatformClient;
  let appA: TenantApp;
  let appB: TenantApp;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await superadmin(t);
    ({ app: appA, client: a } = await createTenant(t, admin, 'Acme Books'));
    ({ app: appB, client: b } = await createTenant(t, admin, 'Other'));
  });
  afterAll(() => t?.close());

  const signIn = async (client: PlatformClient, email: string, minutes = 60) => {
    const sent = await client.post('/v1/auth/otps/email/login_or_create', { email });
    const code = await lastCode(t, email);
    const verified = await client.post('/v1/auth/otps/verify', { method_id: sent.body.email_id, otp: code, session_expires_in: minutes });
    expect(verified.status).toBe(200);
    return { sent: sent.body, verified: verified.body };
  };

  it('email login_or_create mails a code with the app name; verify is single use and opens a session', async () => {
    const sent = await a.post('/v1/auth/otps/email/login_or_create', { email: 'new@example.com', requires_verification: true });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ user_id: expect.stringMatching(/^user_/), user_created: true, status: 'pending', email_id: expect.stringMatching(/^email_/) });
    const mail = await t.get(OutboxService).messagesTo('mail', 'new@example.com');
    expect(mail[0].subject).toContain('Acme Books');
    const code = await lastCode(t, 'new@example.com');
    const stored = await t.dataSource.query('SELECT code_hash FROM platform_otp_codes');
    expect(JSON.stringify(stored)).not.toContain(code);

    const verified = await a.post('/v1/auth/otps/verify', { method_id: sent.body.email_id, otp: code, session_expires_in: 100 });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ method_id: sent.body.email_id, method_type: 'email', user_id: sent.body.user_id, session_token: expect.stringMatching(/^[A-Za-z0-9]{64}$/) });
    const s = verified.body.session;
    expect(s.expires_at - s.started_at).toBe(6000);
    expect(s.factors).toEqual([{ type: 'otp', delivery_channel: 'email', method: { method_id: sent.body.email_id, method_type: 'email', email_id: sent.body.email_id, email: 'new@example.com', last_verified_at: expect.any(Number) } }]);
    const user = (await a.get(`/v1/auth/users/${sent.body.user_id}`)).body;
    expect(user).toMatchObject({ status: 'active' });
    expect(user.emails[0].verified).toBe(true);
    expectSbError(await a.post('/v1/auth/otps/verify', { method_id: sent.body.email_id, otp: code }), 404, 'otp_code_not_found');

    const again = await a.post('/v1/auth/otps/email/login_or_create', { email: 'NEW@example.com' });
    expect(again.body).toMatchObject({ user_created: false, status: 'active', user_id: sent.body.user_id });
    const token = await t.dataSource.query('SELECT token_hash FROM platform_sessions');
    expect(JSON.stringify(token)).not.toContain(verified.body.session_token);
  });

  it('verify without session_expires_in authenticates only; with a session it adds the factor to that session', async () => {
    const { verified } = await signIn(a, 'twice@example.com');
    const phone = await a.put(`/v1/auth/users/${verified.user_id}/update`, { phone_numbers: [{ phone_number: '+14155550150' }] });
    expect(phone.status).toBe(200);
    const sms = await a.post('/v1/auth/otps/sms/send', { phone_number: '+14155550150' });
    expect(sms.body).toEqual({ phone_number_id: phone.body.phone_numbers[0].id, user_id: verified.user_id });
    const smsText = await t.get(OutboxService).messagesTo('sms', '+14155550150');
    expect(smsText[0]).toMatchObject({ channel: 'sms', body: expect.stringContaining('Acme Books') });
    const onlyAuth = await a.post('/v1/auth/otps/verify', { method_id: sms.body.phone_number_id, otp: await lastCode(t, '+14155550150') });
    expect(onlyAuth.body).toMatchObject({ method_type: 'phone_number', session: null, session_token: '', session_jwt: '' });

    await a.post('/v1/auth/otps/sms/send', { phone_number: '+14155550150' });
    const added = await a.post('/v1/auth/otps/verify', { method_id: sms.body.phone_number_id, otp: await lastCode(t, '+14155550150'), session_token: verified.session_token });
    expect(added.status).toBe(200);
    expect(added.body.session.id).toBe(verified.session.id);
    expect(added.body.session_token).toBe(verified.session_token);
    expect(added.body.session.factors.map((f: { delivery_channel: string }) => f.delivery_channel)).toEqual(['email', 'sms']);
    expect(added.body.session.expires_at).toBe(verified.session.expires_at);

    const other = await signIn(a, 'someone-else@example.com');
    await a.post('/v1/auth/otps/sms/send', { phone_number: '+14155550150' });
    expectSbError(await a.post('/v1/auth/otps/verify', { method_id: sms.body.phone_number_id, otp: await lastCode(t, '+14155550150'), session_token: other.verified.session_token }), 400, 'user_id_mismatch');
  });

  it('OTP errors: unknown address on send, bad ids, wrong codes die after 5 tries, bad expirations and durations', async () => {
    expectSbError(await a.post('/v1/auth/otps/email/send', { email: 'nobody@example.com' }), 404, 'email_not_found');
    expectSbError(await a.post('/v1/auth/otps/sms/send', { phone_number: '+14155550199' }), 404, 'phone_number_not_found');
    expectSbError(await a.post('/v1/auth/otps/sms/login_or_create', { phone_number: 'call me' }), 400, 'invalid_phone_number');
    expectSbError(await a.post('/v1/auth/otps/email/login_or_create', { email: 'x@example.com', expires_in: 11 }), 400, 'invalid_expiration');
    expectSbError(await a.post('/v1/auth/otps/verify', { method_id: 'user_abc', otp: '123456' }), 400, 'invalid_method_id');
    expectSbError(await a.post('/v1/auth/otps/verify', { method_id: 'email_0000000000000000000000', otp: '123456' }), 404, 'email_not_found');

    const created = await a.post('/v1/auth/otps/sms/login_or_create', { phone_number: '+14155550160', expires_in: '5' });
    expect(created.body).toMatchObject({ user_created: true, status: 'active', phone_number_id: expect.stringMatching(/^pn_/) });
    const code = await lastCode(t, '+14155550160');
    expectSbError(await a.post('/v1/auth/otps/verify', { method_id: created.body.phone_number_id, otp: code, session_expires_in: 4 }), 400, 'invalid_session_duration');
    expectSbError(await b.post('/v1/auth/otps/verify', { method_id: created.body.phone_number_id, otp: code }), 404, 'phone_number_not_found');
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expectSbError(await a.post('/v1/auth/otps/verify', { method_id: created.body.phone_number_id, otp: wrong }), 401, 'unable_to_auth_otp_code');
    expectSbError(await a.post('/v1/auth/otps/verify', { method_id: created.body.phone_number_id, otp: code }), 404, 'otp_code_not_found');
  });

  it('sending is limited per address (two codes seconds apart pass; the 6th in a minute is 429)', async () => {
    await a.post('/v1/auth/users/create', { email: 'limited@example.com' });
    for (let i = 0; i < 5; i++) expect((await a.post('/v1/auth/otps/email/send', { email: 'limited@example.com' })).status).toBe(200);
    expectSbError(await a.post('/v1/auth/otps/email/send', { email: 'limited@example.com' }), 429, 'too_many_requests');
    // Other addresses of the app are not throttled by it.
    expect((await a.post('/v1/auth/otps/email/login_or_create', { email: 'unlimited@example.com' })).status).toBe(200);
  });

  it('session JWTs verify against the app JWKS with jose; sessions/verify by token or JWT, extends, lists, deletes', async () => {
    const { verified } = await signIn(a, 'jwt@example.com', 30);
    const jwks = await t.agent().get(`/v1/auth/jwks/${appA.app_id}`);
    expect(jwks.status).toBe(200);
    for (const k of jwks.body.keys) {
      expect(k).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', key_ops: ['verify'], kid: expect.stringMatching(/^jwk_/), e: 'AQAB' });
      expect(k.d).toBeUndefined();
      expect(k.p).toBeUndefined();
      expect(k.x5c[0]).toMatch(/^[A-Za-z0-9+/=]+$/);
    }
    const keySet = createRemoteJWKSet(new URL(`${t.baseUrl}/v1/auth/jwks/${appA.app_id}`));
    const { payload, protectedHeader } = await jwtVerify(verified.session_jwt, keySet);
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(protectedHeader.kid);
    expect(payload).toMatchObject({ sub: verified.user_id, jti: verified.session.id, aud: appA.app_id });
    expect((payload.exp as number) - (payload.iat as number)).toBe(300);
    expect((payload['https://streambird.io/jwt/session'] as { id: string }).id).toBe(verified.session.id);
    // Another app's keys do not verify it.
    await expect(jwtVerify(verified.session_jwt, createRemoteJWKSet(new URL(`${t.baseUrl}/v1/auth/jwks/${appB.app_id}`)))).rejects.toThrow();
    // jwks/default: secret key header, api_key query, public token query or header.
    for (const res of [
      await a.get('/v1/auth/jwks/default'),
      await t.agent().get('/v1/auth/jwks/default', { query: { api_key: a.key } }),
      await t.agent().get('/v1/auth/jwks/default', { query: { public_token: appA.public_token } }),
      await t.agent().get('/v1/auth/jwks/default', { headers: { authorization: `PublicToken ${appA.public_token}` } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual(jwks.body);
    }
    expectSbError(await t.agent().get('/v1/auth/jwks/default'), 401, 'unauthorized_credentials');
    expectSbError(await t.agent().get(`/v1/auth/jwks/${appA.app_id}`, { headers: { authorization: 'Bearer sk_test_wrong' } }), 401, 'unauthorized_credentials');
    expectSbError(await t.agent().get('/v1/auth/jwks/app_0000000000000000000000'), 404, 'app_not_found');

    const byToken = await a.post('/v1/auth/sessions/verify', { session_token: verified.session_token });
    expect(byToken.status).toBe(200);
    expect(byToken.body).toMatchObject({ session_token: verified.session_token, session: { id: verified.session.id } });
    await jwtVerify(byToken.body.session_jwt, keySet);
    const byJwt = await a.post('/v1/auth/sessions/verify', { session_jwt: verified.session_jwt, session_expires_in: 120 });
    expect(byJwt.body.session_token).toBe('');
    expect(byJwt.body.session.expires_at).toBeGreaterThan(verified.session.expires_at + 3000);
    expect((await a.post('/v1/auth/sessions/verify', { session_jwt: verified.session_jwt, session_token: verified.session_token })).status).toBe(200);
    expectSbError(await a.post('/v1/auth/sessions/verify', {}), 400, 'no_session_arguments');
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_token: 'nope' }), 404, 'session_not_found');
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_jwt: 'a.b.c' }), 404, 'session_not_found');
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_token: verified.session_token, session_expires_in: 999999 }), 400, 'invalid_session_duration');
    expectSbError(await b.post('/v1/auth/sessions/verify', { session_token: verified.session_token }), 404, 'session_not_found');
    expectSbError(await b.post('/v1/auth/sessions/verify', { session_jwt: verified.session_jwt }), 404, 'session_not_found');
    const other = await signIn(a, 'jwt-other@example.com');
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_token: verified.session_token, session_jwt: other.verified.session_jwt }), 400, 'too_many_session_arguments');

    const second = await a.post('/v1/auth/otps/email/send', { email: 'jwt@example.com' });
    const s2 = await a.post('/v1/auth/otps/verify', { method_id: second.body.email_id, otp: await lastCode(t, 'jwt@example.com'), session_expires_in: 10 });
    const list = await a.get('/v1/auth/sessions/list', { user_id: verified.user_id });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([s2.body.session.id, verified.session.id]);
    expect(list.body.sessions[0].session_token).toBe('');
    expect((await a.post(`/v1/auth/sessions/list?user_id=${verified.user_id}`)).body.sessions).toHaveLength(2);
    expectSbError(await a.get('/v1/auth/sessions/list'), 400, 'invalid_user_id');
    expectSbError(await b.get('/v1/auth/sessions/list', { user_id: verified.user_id }), 404, 'user_not_found');

    expectSbError(await a.delete('/v1/auth/sessions/delete', {}), 400, 'no_session_arguments');
    expectSbError(await a.delete('/v1/auth/sessions/delete', { session_token: verified.session_token, session_id: verified.session.id }), 400, 'too_many_session_arguments');
    expectSbError(await b.delete('/v1/auth/sessions/delete', { session_id: verified.session.id }), 404, 'session_not_found');
    const del = await a.delete('/v1/auth/sessions/delete', { session_jwt: verified.session_jwt });
    expect(del.body).toEqual({ message: 'Successfully deleted session' });
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_token: verified.session_token }), 404, 'session_not_found');
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_jwt: byToken.body.session_jwt }), 404, 'session_not_found');
    expectSbError(await a.delete('/v1/auth/sessions/delete', { session_token: verified.session_token }), 404, 'session_not_found');
    // DELETE with the selector in the query, and a JSON content type with no body.
    const byQuery = await t.agent().send('DELETE', `/v1/auth/sessions/delete?session_id=${s2.body.session.id}`, { headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json' } });
    expect(byQuery.status).toBe(200);
    expect((await a.get('/v1/auth/sessions/list', { user_id: verified.user_id })).body.sessions).toEqual([]);
  });

  it('signing-key rotation keeps the old key published so its JWTs still verify', async () => {
    const { verified } = await signIn(b, 'rotate@example.com');
    const before = (await t.agent().get(`/v1/auth/jwks/${appB.app_id}`)).body.keys;
    await t.get(AppSigningKeysService).rotate(fromPublicId('app', appB.app_id)!);
    const after = (await t.agent().get(`/v1/auth/jwks/${appB.app_id}`)).body.keys;
    expect(after).toHaveLength(before.length + 1);
    const keySet = createRemoteJWKSet(new URL(`${t.baseUrl}/v1/auth/jwks/${appB.app_id}`));
    await jwtVerify(verified.session_jwt, keySet);
    const extended = await b.post('/v1/auth/sessions/verify', { session_token: verified.session_token, session_expires_in: 60 });
    expect(decodeProtectedHeader(extended.body.session_jwt).kid).not.toBe(decodeProtectedHeader(verified.session_jwt).kid);
    await jwtVerify(extended.body.session_jwt, keySet);
    expect((await b.post('/v1/auth/sessions/verify', { session_jwt: verified.session_jwt })).status).toBe(200);
  });

  it('deleting a user ends its sessions', async () => {
    const { verified } = await signIn(a, 'bye@example.com');
    expect((await a.delete(`/v1/auth/users/${verified.user_id}/delete`)).status).toBe(200);
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_token: verified.session_token }), 404, 'session_not_found');
    expectSbError(await a.post('/v1/auth/sessions/verify', { session_jwt: verified.session_jwt }), 404, 'session_not_found');
  });

  // The route is answered ahead of Nest's router: the guard, the pipe and the filter must still be its own.
  it('sessions/verify refuses what its guard and body pipe refuse, in the platform error shape', async () => {
    const path = '/v1/auth/sessions/verify';
    const anon = t.agent();
    expectSbError(await anon.send('POST', path, { body: { session_token: 'x' } }), 401, 'unauthorized_credentials');
    expectSbError(await anon.send('POST', path, { body: { session_token: 'x' }, headers: { authorization: `Bearer ${appA.public_token}` } }), 401, 'unauthorized_credentials');
    const array = await a.send('POST', path, [1, 2]);
    expectSbError(array, 400, 'bad_request');
    expect(array.body.error_message).toBe('Invalid request: body');
    expectSbError(await a.send('POST', path, '"abc"'), 400, 'bad_request');
    const wrongType = await a.post(path, { session_token: 5 });
    expectSbError(wrongType, 400, 'bad_request');
    expect(wrongType.body.error_message).toBe('session_token must be a string');
    expectSbError(await a.send('POST', path, '{"session_token":'), 400, 'bad_request');
    expectSbError(await a.send('POST', path, ''), 400, 'no_session_arguments');
    const ok = await a.post(path, { session_token: (await signIn(a, 'guarded@example.com')).verified.session_token });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(ok.headers['x-request-id']).toEqual(expect.any(String));
  });

  // The hook reads plain JSON bodies itself; every other body is left to Fastify's parsers and the router.
  it('sessions/verify reads its body as every route does: limits, depth, prototype keys, content types, chunked', async () => {
    const path = '/v1/auth/sessions/verify';
    const token = (await signIn(a, 'bodies@example.com')).verified.session_token;
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    expectSbError(await a.send('POST', path, `{"session_token":${deep}}`), 400, 'bad_request');
    const poisoned = await a.send('POST', path, `{"session_token":"${token}","__proto__":{"admin":true}}`);
    expectSbError(poisoned, 400, 'bad_request');
    const large = await a.send('POST', path, JSON.stringify({ session_token: token, pad: 'x'.repeat(70 * 1024) }));
    expectSbError(large, 413, 'bad_request');
    const charset = await a.send('POST', path, { session_token: token }, { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(200);
    const text = await a.send('POST', path, JSON.stringify({ session_token: token }), { 'content-type': 'text/plain' });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(text.body).toEqual({ status_code: text.status, error_type: expect.any(String), error_message: expect.any(String) });
    // Chunked (no Content-Length) goes the router's way and gets the same answer as the hook's.
    const chunked = await fetch(new URL(path, t.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json' },
      body: new Blob([JSON.stringify({ session_token: token })]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(200);
    const routed = (await chunked.json()) as { session: { session_id: string }; session_token: string };
    expect(routed.session.session_id).toBe(charset.body.session.session_id);
    expect(routed.session_token).toBe(token);
  });
});
