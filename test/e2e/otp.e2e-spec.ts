import { Activity } from '../../src/core/audit/activity.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { OtpRecoveryCode } from '../../src/identity/otp/otp-recovery-code.entity.js';
import { OtpSecret } from '../../src/identity/otp/otp-secret.entity.js';
import { OtpService } from '../../src/identity/otp/otp.service.js';
import { SecondFactor } from '../../src/identity/otp/second-factor.js';
import { User } from '../../src/identity/users/user.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import { createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { codeFor, controlClock, enableOtp, secretFromUrl } from '../support/otp.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const OTP = '/api/v2/barong/resource/otp';
const SESSIONS = '/api/v2/barong/identity/sessions';
const ME = '/api/v2/barong/resource/users/me';

describe('resource/otp: TOTP 2FA', () => {
  let t: TestApp;
  let clock: ReturnType<typeof controlClock>;
  beforeAll(async () => {
    t = await createTestApp();
    clock = controlClock();
  });
  afterAll(async () => {
    clock.restore();
    await t.close();
  });

  /** An active user as the real flows make one: with the email:verified label behind the state. */
  const signedIn = async (spec = {}) => {
    const user = await createUser(t, { ...spec, emailVerified: true });
    return { user, a: await signIn(t, t.agent(), user) };
  };
  const activities = (userId: string) =>
    t.dataSource.getRepository(Activity).find({ where: { userId, topic: 'otp' }, order: { createdAt: 'ASC', id: 'ASC' } });
  const reloaded = (id: string) => t.dataSource.getRepository(User).findOneByOrFail({ id });
  const wrongCode = (secret: string) => String((Number(codeFor(secret)) + 500_000) % 1_000_000).padStart(6, '0');

  describe('POST generate_qrcode', () => {
    it('answers 201 with an otpauth URL and a real PNG QR code, storing a sealed pending secret', async () => {
      const { user, a } = await signedIn();
      const res = await a.post(`${OTP}/generate_qrcode`);
      expect(res.status).toBe(201);
      const url = new URL(res.body.data.url);
      expect(url.protocol).toBe('otpauth:');
      expect(url.host).toBe('totp');
      expect(decodeURIComponent(url.pathname)).toBe(`/${t.config.barong.appName}:${user.email}`);
      expect(url.searchParams.get('issuer')).toBe(t.config.barong.appName);
      const secret = url.searchParams.get('secret')!;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);

      const png = Buffer.from(res.body.data.barcode, 'base64');
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      const width = png.readUInt32BE(16);
      expect(width).toBeGreaterThanOrEqual(100);
      expect(png.readUInt32BE(20)).toBe(width);

      const row = await t.dataSource.getRepository(OtpSecret).findOneByOrFail({ userId: user.id });
      expect(row.state).toBe('pending');
      expect(row.secretSealed).not.toContain(secret);
      expect((await reloaded(user.id)).otp).toBe(false);
      expect((await activities(user.id)).map((x) => `${x.action}/${x.result}`)).toEqual(['request QR code for 2FA/succeed']);
    });

    it('overwrites the pending secret on every call', async () => {
      const { user, a } = await signedIn();
      const first = secretFromUrl((await a.post(`${OTP}/generate_qrcode`)).body.data.url);
      const second = secretFromUrl((await a.post(`${OTP}/generate_qrcode`)).body.data.url);
      expect(second).not.toBe(first);
      expect(await t.dataSource.getRepository(OtpSecret).countBy({ userId: user.id })).toBe(1);
      // the first secret no longer enables 2FA
      const res = await a.post(`${OTP}/enable`, { code: codeFor(first) });
      expect(res.status).toBe(422);
      expect((await a.post(`${OTP}/enable`, { code: codeFor(second) })).status).toBe(201);
    });

    it('refuses with 400 when 2FA is already on, recording a failed activity', async () => {
      const { user, a } = await signedIn();
      await enableOtp(a);
      const res = await a.post(`${OTP}/generate_qrcode`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: ['resource.otp.already_enabled'] });
      const last = (await activities(user.id)).at(-1)!;
      expect(last).toMatchObject({ action: 'request QR code for 2FA', result: 'failed' });
      expect(JSON.parse(last.data!)).toEqual({ reason: '2FA has been enabled for this account' });
    });

    it('needs a session', async () => {
      const res = await t.agent().post(`${OTP}/generate_qrcode`);
      expect(res.status).toBe(401);
    });
  });

  describe('POST enable', () => {
    it('validates the code parameter', async () => {
      const { a } = await signedIn();
      expect((await a.post(`${OTP}/enable`, {})).body).toEqual({ errors: ['resource.otp.missing_code', 'resource.otp.empty_code'] });
      const blank = await a.post(`${OTP}/enable`, { code: '  ' });
      expect(blank.status).toBe(422);
      expect(blank.body).toEqual({ errors: ['resource.otp.empty_code'] });
    });

    it('refuses a wrong code (and a code without a generated secret) with 422 and a failed activity', async () => {
      const { user, a } = await signedIn();
      const none = await a.post(`${OTP}/enable`, { code: '123456' });
      expect(none.status).toBe(422);
      expect(none.body).toEqual({ errors: ['resource.otp.invalid'] });
      const secret = secretFromUrl((await a.post(`${OTP}/generate_qrcode`)).body.data.url);
      const wrong = await a.post(`${OTP}/enable`, { code: wrongCode(secret) });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ errors: ['resource.otp.invalid'] });
      expect((await reloaded(user.id)).otp).toBe(false);
      const failed = (await activities(user.id)).filter((x) => x.action === 'enable 2FA');
      expect(failed.map((x) => x.result)).toEqual(['failed', 'failed']);
      expect(JSON.parse(failed[0]!.data!)).toEqual({ reason: 'OTP code is invalid' });
    });

    it('turns 2FA on: otp flag, otp:enabled label, ten recovery codes, other sessions ended', async () => {
      const { user, a } = await signedIn();
      const other = await signIn(t, t.agent(), user);
      const secret = secretFromUrl((await a.post(`${OTP}/generate_qrcode`)).body.data.url);
      // form-encoded bodies work as well as JSON
      const res = await a.send('POST', `${OTP}/enable`, { form: { code: codeFor(secret) } });
      expect(res.status).toBe(201);
      const codes: string[] = res.body.recovery_codes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      codes.forEach((c) => expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/));

      expect((await reloaded(user.id)).otp).toBe(true);
      const label = await t.dataSource.getRepository(Label).findOneBy({ userId: user.id, key: 'otp', scope: 'private' });
      expect(label?.value).toBe('enabled');
      expect((await t.dataSource.getRepository(OtpSecret).findOneByOrFail({ userId: user.id })).state).toBe('enabled');
      const stored = await t.dataSource.getRepository(OtpRecoveryCode).findBy({ userId: user.id });
      expect(stored).toHaveLength(10);
      stored.forEach((r) => codes.forEach((c) => expect(r.codeSealed).not.toContain(c)));
      expect((await t.get(OtpService).recoveryCodes(user.id)).map((r) => r.code).sort()).toEqual([...codes].sort());

      expect((await a.get(ME)).status).toBe(200);
      expect((await other.get(ME)).status).toBe(401);
      expect((await activities(user.id)).map((x) => `${x.action}/${x.result}`)).toEqual([
        'request QR code for 2FA/succeed',
        'enable 2FA/succeed',
      ]);

      clock.nextStep();
      const again = await a.post(`${OTP}/enable`, { code: codeFor(secret) });
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ errors: ['resource.otp.already_enabled'] });
      expect((await activities(user.id)).at(-1)).toMatchObject({ action: 'enable 2FA', result: 'failed' });
    });
  });

  describe('POST verify', () => {
    it('accepts a valid code once per time step and refuses a replay', async () => {
      const { a } = await signedIn();
      const { secret } = await enableOtp(a);
      // the code that enabled 2FA was used in this step already
      const replayOfEnable = await a.post(`${OTP}/verify`, { code: codeFor(secret) });
      expect(replayOfEnable.status).toBe(422);
      expect(replayOfEnable.body).toEqual({ errors: ['resource.otp.invalid'] });

      clock.nextStep();
      const code = codeFor(secret);
      const ok = await a.post(`${OTP}/verify`, { code });
      expect(ok.status).toBe(201);
      expect(ok.text).toBe('');
      const replay = await a.post(`${OTP}/verify`, { code });
      expect(replay.status).toBe(422);
      // a code of an earlier step inside the skew window is refused too once a later one was used
      clock.nextStep();
      expect((await a.post(`${OTP}/verify`, { code })).status).toBe(422);
      expect((await a.post(`${OTP}/verify`, { code: codeFor(secret) })).status).toBe(201);
    });

    it('accepts the next step\'s code (clock skew of one step)', async () => {
      const { a } = await signedIn();
      const { secret } = await enableOtp(a);
      expect((await a.post(`${OTP}/verify`, { code: codeFor(secret, Date.now() + 30_000) })).status).toBe(201);
      clock.nextStep();
      clock.nextStep();
    });

    it('answers 400 already_enabled (sic, Barong) when 2FA is off', async () => {
      const { a } = await signedIn();
      const res = await a.post(`${OTP}/verify`, { code: '123456' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: ['resource.otp.already_enabled'] });
    });

    it('records a failed `verify 2FA code` activity for a wrong code, and never takes recovery codes', async () => {
      const { user, a } = await signedIn();
      const { secret, recoveryCodes } = await enableOtp(a);
      const res = await a.post(`${OTP}/verify`, { code: wrongCode(secret) });
      expect(res.status).toBe(422);
      expect((await a.post(`${OTP}/verify`, { code: recoveryCodes[0] })).status).toBe(422);
      const rows = (await activities(user.id)).filter((x) => x.action === 'verify 2FA code');
      expect(rows.map((x) => x.result)).toEqual(['failed', 'failed']);
      expect(JSON.parse(rows[0]!.data!)).toEqual({ reason: 'OTP code is invalid' });
      expect(await t.dataSource.getRepository(Activity).countBy({ userId: user.id, action: 'verify 2FA code', result: 'succeed' })).toBe(0);
    });

    it('validates the code parameter', async () => {
      const { a } = await signedIn();
      expect((await a.post(`${OTP}/verify`, {})).body).toEqual({ errors: ['resource.otp.missing_code', 'resource.otp.empty_code'] });
    });

    it('rate-limits: after 5 wrong codes within 5 minutes even a right code gets 429', async () => {
      const { user, a } = await signedIn();
      const { secret } = await enableOtp(a);
      clock.nextStep();
      for (let i = 0; i < 5; i++) expect((await a.post(`${OTP}/verify`, { code: wrongCode(secret) })).status).toBe(422);
      const limited = await a.post(`${OTP}/verify`, { code: codeFor(secret) });
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ errors: ['resource.otp.too_many_attempts'] });
      expect(await t.get(SecondFactor).verify(user, codeFor(secret))).toBe('rate_limited');
      // the window passes
      clock.advance(301_000);
      expect((await a.post(`${OTP}/verify`, { code: codeFor(secret) })).status).toBe(201);
    });
  });

  describe('recovery codes', () => {
    it('log in once each in place of a TOTP code', async () => {
      const { user, a } = await signedIn();
      const { recoveryCodes } = await enableOtp(a);
      const code = recoveryCodes[3]!;
      const login = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: code.toUpperCase() });
      expect(login.status).toBe(200);
      const again = await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: code });
      expect(again.status).toBe(403);
      expect(again.body).toEqual({ errors: ['identity.session.invalid_otp'] });
      const views = await t.get(OtpService).recoveryCodes(user.id);
      expect(views.filter((v) => v.used).map((v) => v.code)).toEqual([code]);
      const row = (await t.dataSource.getRepository(OtpRecoveryCode).findBy({ userId: user.id })).filter((r) => r.usedAt);
      expect(row).toHaveLength(1);
    });

    it('are accepted by the SecondFactor verifier only when allowed', async () => {
      const { user, a } = await signedIn();
      const { recoveryCodes } = await enableOtp(a);
      const sf = t.get(SecondFactor);
      const fresh = await reloaded(user.id);
      expect(await sf.verify(fresh, recoveryCodes[0]!)).toBe('invalid');
      expect(await sf.verify(fresh, recoveryCodes[0]!, { allowRecoveryCode: true })).toBe('valid');
      expect(await sf.verify(fresh, recoveryCodes[0]!, { allowRecoveryCode: true })).toBe('invalid');
      expect(await sf.verify(fresh, 'zzzzz-zzzzz', { allowRecoveryCode: true })).toBe('invalid');
    });

    it('a TOTP code logs in too, once per step', async () => {
      const { user, a } = await signedIn();
      const { secret } = await enableOtp(a);
      clock.nextStep();
      const code = codeFor(secret);
      expect((await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: code })).status).toBe(200);
      expect((await t.agent().post(SESSIONS, { email: user.email, password: STRONG_PASSWORD, otp_code: code })).status).toBe(403);
    });
  });

  describe('POST disable', () => {
    it('refuses when 2FA is off (400) and wrong codes (422), recording failures', async () => {
      const { user, a } = await signedIn();
      const off = await a.post(`${OTP}/disable`, { code: '123456' });
      expect(off.status).toBe(400);
      expect(off.body).toEqual({ errors: ['resource.otp.not_enabled'] });
      const { secret } = await enableOtp(a);
      const wrong = await a.post(`${OTP}/disable`, { code: wrongCode(secret) });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ errors: ['resource.otp.invalid'] });
      expect((await a.post(`${OTP}/disable`, {})).body).toEqual({ errors: ['resource.otp.missing_code', 'resource.otp.empty_code'] });
      expect((await activities(user.id)).filter((x) => x.action === 'disable 2FA').map((x) => x.result)).toEqual(['failed', 'failed']);
    });

    it('turns 2FA off, drops the secret and recovery codes and the label (level not recomputed), deactivates API keys', async () => {
      const { user, a } = await signedIn();
      const { secret } = await enableOtp(a);
      clock.nextStep();
      const key = await a.post('/api/v2/barong/resource/api_keys', { algorithm: 'HS256', totp_code: codeFor(secret) });
      expect(key.status).toBe(201);
      const before = await reloaded(user.id);

      clock.nextStep();
      const res = await a.post(`${OTP}/disable`, { code: codeFor(secret) });
      expect(res.status).toBe(201);
      const after = await reloaded(user.id);
      expect(after.otp).toBe(false);
      expect(after.level).toBe(before.level);
      expect(await t.dataSource.getRepository(Label).countBy({ userId: user.id, key: 'otp' })).toBe(0);
      expect(await t.dataSource.getRepository(OtpSecret).countBy({ userId: user.id })).toBe(0);
      expect(await t.dataSource.getRepository(OtpRecoveryCode).countBy({ userId: user.id })).toBe(0);
      const keys = await a.get('/api/v2/barong/resource/api_keys');
      expect(keys.body.map((k: { state: string }) => k.state)).toEqual(['inactive']);
      expect((await activities(user.id)).at(-1)).toMatchObject({ action: 'disable 2FA', result: 'succeed' });

      // 2FA can be set up again from scratch
      const again = await enableOtp(a);
      expect(again.secret).not.toBe(secret);
    });

    it('an admin-side otp=false change (through UsersService) also forgets the secret', async () => {
      const { user, a } = await signedIn();
      await enableOtp(a);
      await t.get(UsersService).update(user.id, { otp: false });
      expect(await t.dataSource.getRepository(OtpSecret).countBy({ userId: user.id })).toBe(0);
      expect((await a.post(`${OTP}/generate_qrcode`)).status).toBe(201);
    });
  });
});
