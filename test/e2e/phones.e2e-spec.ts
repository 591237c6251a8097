import { Activity } from '../../src/core/audit/activity.entity.js';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { Phone } from '../../src/identity/phones/phone.entity.js';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PHONES = '/api/v2/barong/resource/phones';
const SEND = `${PHONES}/send_code`;
const VERIFY = `${PHONES}/verify`;

describe('phones', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const smsTo = (e164: string) => t.get(OutboxService).messagesTo('sms', e164);
  const lastCode = async (e164: string): Promise<string> => {
    const all = await smsTo(e164);
    const m = /Your verification code for Barong: (\d{5})$/.exec(all.at(-1)!.body);
    if (!m) throw new Error(`no code in ${all.at(-1)!.body}`);
    return m[1]!;
  };
  const phonesOf = (user: User) => t.dataSource.getRepository(Phone).find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
  /** Lets the next send through the minimum delay without waiting. */
  const age = (user: User) => t.dataSource.query(`UPDATE phones SET code_sent_at = now() - interval '1 hour' WHERE user_id = $1`, [user.id]);

  describe('POST resource/phones', () => {
    it('adds the number, seals it, and sends a 5-digit code through the outbox', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await agent.post(PHONES, { phone_number: '+380 99 123 2322' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: 'Code was sent successfully via sms' });

      const [phone] = await phonesOf(user);
      expect(phone).toMatchObject({ country: 'UA', validatedAt: null, retriesSend: 1, retriesVerify: 0 });
      expect(phone!.number).not.toContain('2322');
      expect(phone!.numberIndex).toMatch(/^[0-9a-f]{64}$/);

      const sms = await smsTo('+380991232322');
      expect(sms).toHaveLength(1);
      const code = await lastCode('+380991232322');
      expect(phone!.codeDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(phone!.codeDigest).not.toContain(code);

      const list = await agent.get(PHONES);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([{ country: 'UA', number: '380*****2322', validated_at: null }]);
    });

    it('takes form-encoded bodies and the call channel', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const res = await agent.send('POST', PHONES, { form: { phone_number: '14155552671', channel: 'call' } });
      expect([res.status, res.body]).toEqual([201, { message: 'Code was sent successfully via call' }]);
      expect(await smsTo('+14155552671')).toHaveLength(1);
    });

    it('validates its parameters (422) and the number (400)', async () => {
      const { agent } = await agentWithRole(t, 'member');
      expect((await agent.post(PHONES, {})).body.errors).toEqual(['resource.phone.missing_phone_number', 'resource.phone.empty_phone_number']);
      const channel = await agent.post(PHONES, { phone_number: '+380991230000', channel: 'fax' });
      expect([channel.status, channel.body.errors]).toEqual([422, ['resource.phone.invalid_channel']]);
      for (const bad of ['12', '+1 415 555', 'phone', '+999123456789']) {
        const res = await agent.post(PHONES, { phone_number: bad });
        expect([bad, res.status, res.body.errors]).toEqual([bad, 400, ['resource.phone.invalid_num']]);
      }
    });

    it('refuses a number the user already has (resource.phone.exists)', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await agent.post(PHONES, { phone_number: '+33612345678' })).status).toBe(201);
      const again = await agent.post(PHONES, { phone_number: '33 6 12 34 56 78' });
      expect([again.status, again.body.errors]).toEqual([400, ['resource.phone.exists']]);
      expect(await phonesOf(user)).toHaveLength(1);
    });

    it(`refuses more than ${3} unverified numbers without banning the user`, async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      for (const n of ['+380501234567', '+380671234567', '+380631234567']) expect((await agent.post(PHONES, { phone_number: n })).status).toBe(201);
      const res = await agent.post(PHONES, { phone_number: '+380731234567' });
      expect([res.status, res.body.errors]).toEqual([400, ['resource.phone.too_many_unverified']]);
      expect(await phonesOf(user)).toHaveLength(3);
      expect((await t.dataSource.query('SELECT state FROM users WHERE id = $1', [user.id]))[0].state).toBe(user.state);
      expect((await agent.get(PHONES)).status).toBe(200);
    });
  });

  describe('POST resource/phones/send_code', () => {
    it('re-sends a fresh code, no faster than the minimum delay and no more than the retry limit', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const number = '+442071838750';
      expect((await agent.post(PHONES, { phone_number: number })).status).toBe(201);
      const first = await lastCode(number);

      const fast = await agent.post(SEND, { phone_number: number });
      expect([fast.status, fast.body.errors]).toEqual([400, ['resource.phone.code_sent_too_fast']]);

      await age(user);
      const again = await agent.post(SEND, { phone_number: number });
      expect([again.status, again.body]).toEqual([201, { message: 'Code was sent successfully via sms' }]);
      expect(await smsTo(number)).toHaveLength(2);
      const second = await lastCode(number);
      if (second !== first) {
        // The earlier code stopped working.
        expect((await agent.post(VERIFY, { phone_number: number, verification_code: first })).body.errors).toEqual(['resource.phone.verification_invalid']);
      }

      // Five sends in all (the first one included), then no more.
      for (let i = 0; i < 3; i++) {
        await age(user);
        expect((await agent.post(SEND, { phone_number: number })).status).toBe(201);
      }
      await age(user);
      const tooMany = await agent.post(SEND, { phone_number: number });
      expect([tooMany.status, tooMany.body.errors]).toEqual([400, ['resource.phone.too_many_retries']]);
      expect(await smsTo(number)).toHaveLength(5);
      expect((await phonesOf(user))[0]!.retriesSend).toBe(5);
    });

    it('answers 404 for a number the user does not have, 400 for invalid ones, 422 without one', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const unknown = await agent.post(SEND, { phone_number: '+4915112345678' });
      expect([unknown.status, unknown.body.errors]).toEqual([404, ['resource.phone.doesnt_exist']]);
      expect((await agent.post(SEND, { phone_number: 'abc' })).body.errors).toEqual(['resource.phone.invalid_num']);
      expect((await agent.post(SEND, {})).status).toBe(422);
    });
  });

  describe('POST resource/phones/verify', () => {
    it('verifies with the code from the SMS: validated_at, phone:verified label, UserWithFullInfo', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const number = '+380991110001';
      expect((await agent.post(PHONES, { phone_number: number })).status).toBe(201);
      const code = await lastCode(number);
      const wrong = String((Number(code) + 1) % 100000).padStart(5, '0');

      const bad = await agent.post(VERIFY, { phone_number: number, verification_code: wrong });
      expect([bad.status, bad.body.errors]).toEqual([404, ['resource.phone.verification_invalid']]);
      expect((await phonesOf(user))[0]!.retriesVerify).toBe(1);

      const ok = await agent.post(VERIFY, { phone_number: number, verification_code: code });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ uid: user.uid, email: user.email });
      expect(ok.body.phones).toEqual([{ country: 'UA', number: '380*****0001', validated_at: expect.any(String) }]);
      expect(ok.body.labels).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'phone', value: 'verified', scope: 'private' })]));

      const [phone] = await phonesOf(user);
      expect(phone!.validatedAt).toBeInstanceOf(Date);
      expect(phone!.codeDigest).toBeNull();
      const label = await t.dataSource.getRepository(Label).findOne({ where: { userId: user.id, key: 'phone', scope: 'private' } });
      expect(label?.value).toBe('verified');
      const activities = await t.dataSource.getRepository(Activity).find({ where: { userId: user.id, topic: 'phone', action: 'verify phone' } });
      expect(activities.map((a) => a.result).sort()).toEqual(['failed', 'succeed']);

      // Once verified, the number belongs to this user: nobody (the owner included) can add it again.
      expect((await agent.post(PHONES, { phone_number: number })).body.errors).toEqual(['resource.phone.number_exist']);
      const other = (await agentWithRole(t, 'member')).agent;
      const taken = await other.post(PHONES, { phone_number: number });
      expect([taken.status, taken.body.errors]).toEqual([400, ['resource.phone.number_exist']]);
      expect((await agent.post(VERIFY, { phone_number: number, verification_code: code })).body.errors).toEqual(['resource.phone.number_exist']);
    });

    it('lets two users hold the same unverified number; the first to verify wins', async () => {
      const a = await agentWithRole(t, 'member');
      const b = await agentWithRole(t, 'member');
      const number = '+380991110002';
      expect((await a.agent.post(PHONES, { phone_number: number })).status).toBe(201);
      const codeA = await lastCode(number);
      expect((await b.agent.post(PHONES, { phone_number: number })).status).toBe(201);
      const codeB = await lastCode(number);
      expect((await b.agent.post(VERIFY, { phone_number: number, verification_code: codeB })).status).toBe(201);
      const late = await a.agent.post(VERIFY, { phone_number: number, verification_code: codeA });
      expect([late.status, late.body.errors]).toEqual([400, ['resource.phone.number_exist']]);
    });

    it('never accepts a code that does not match, and stops after the verify retry limit', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const number = '+380991110003';
      expect((await agent.post(PHONES, { phone_number: number })).status).toBe(201);
      const code = await lastCode(number);
      const wrongs = Array.from({ length: 10 }, (_, i) => String((Number(code) + 1 + i) % 100000).padStart(5, '0'));
      for (const w of wrongs) {
        const res = await agent.post(VERIFY, { phone_number: number, verification_code: w });
        expect([res.status, res.body.errors]).toEqual([404, ['resource.phone.verification_invalid']]);
      }
      const blocked = await agent.post(VERIFY, { phone_number: number, verification_code: code });
      expect([blocked.status, blocked.body.errors]).toEqual([400, ['resource.phone.too_many_retries']]);
      expect((await phonesOf(user))[0]!.validatedAt).toBeNull();
      expect((await t.dataSource.query('SELECT state FROM users WHERE id = $1', [user.id]))[0].state).toBe(user.state);
    });

    it('validates parameters and unknown numbers', async () => {
      const { agent } = await agentWithRole(t, 'member');
      expect((await agent.post(VERIFY, {})).body.errors).toEqual([
        'resource.phone.missing_phone_number',
        'resource.phone.empty_phone_number',
        'resource.phone.missing_verification_code',
        'resource.phone.empty_verification_code',
      ]);
      const unknown = await agent.post(VERIFY, { phone_number: '+380991110004', verification_code: '12345' });
      expect([unknown.status, unknown.body.errors]).toEqual([404, ['resource.phone.doesnt_exist']]);
      expect((await agent.post(VERIFY, { phone_number: '1', verification_code: '12345' })).body.errors).toEqual(['resource.phone.invalid_num']);
    });

    it('needs a session', async () => {
      const anonymous: Agent = t.agent();
      expect((await anonymous.get(PHONES)).status).toBe(401);
      expect((await anonymous.post(PHONES, { phone_number: '+380991110005' })).status).toBe(401);
    });
  });
});
