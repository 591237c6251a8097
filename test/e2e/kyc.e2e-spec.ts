import { createHmac } from 'node:crypto';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { LabelsService } from '../../src/identity/labels/labels.service.js';
import type { User } from '../../src/identity/users/user.entity.js';
import { agentWithRole, createUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const KYC = '/api/v2/barong/public/kyc';
const SECRET = 'kyc-webhook-secret-for-tests-0123456789';
const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

function completed(uid: string, v: { document?: boolean; facial?: boolean; address?: boolean; profile?: boolean }, extra: Record<string, unknown> = {}) {
  const verifications: Record<string, { verified: boolean }> = {};
  for (const [k, value] of Object.entries(v)) verifications[k] = { verified: value! };
  return JSON.stringify({
    applicant_id: uid,
    verification_id: `ver-${Math.random().toString(16).slice(2)}`,
    type: 'VERIFICATION_COMPLETED',
    verified: Object.values(v).every(Boolean),
    verifications,
    ...extra,
  });
}

describe('KYC provider callback', () => {
  describe('with provider local', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ KYC_WEBHOOK_SECRET: SECRET });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers 422 public.kyc.disabled, signed or not', async () => {
      const user = await createUser(t);
      const body = completed(user.uid, { document: true, facial: true });
      const res = await t.agent().post(KYC, body, { headers: { 'x-signature': sign(body) } });
      expect([res.status, res.body.errors]).toEqual([422, ['public.kyc.disabled']]);
    });
  });

  describe('with a configured provider', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ BARONG_KYC_PROVIDER: 'kycaid', KYC_WEBHOOK_SECRET: SECRET });
    });
    afterAll(async () => {
      await t?.close();
    });

    const labelValue = async (user: User, key: string) =>
      (await t.dataSource.getRepository(Label).findOne({ where: { userId: user.id, key, scope: 'private' } }))?.value ?? null;
    const setLabels = (user: User, labels: Record<string, string>) =>
      t.dataSource.transaction(async (m) => {
        for (const [k, v] of Object.entries(labels)) await t.get(LabelsService).setPrivate(m, user.id, k, v);
      });
    const post = (body: string, signature?: string, headers: Record<string, string> = {}) =>
      t.agent().post(KYC, body, { headers: { ...(signature === undefined ? {} : { 'x-signature': signature }), ...headers } });

    it('refuses unsigned and badly signed callbacks (401) and changes nothing', async () => {
      const user = await createUser(t);
      await setLabels(user, { document: 'pending' });
      const body = completed(user.uid, { document: true, facial: true });
      for (const sig of [undefined, '', 'deadbeef', sign(body, 'another-secret'), sign(body + ' ')]) {
        const res = await post(body, sig);
        expect([res.status, res.body.errors]).toEqual([401, ['public.kyc.invalid_signature']]);
      }
      expect(await labelValue(user, 'document')).toBe('pending');
    });

    it('marks document and address verified when every check passed', async () => {
      const user = await createUser(t);
      await setLabels(user, { document: 'pending', address: 'pending' });
      const body = completed(user.uid, { document: true, facial: true, address: true });
      const res = await post(body, sign(body));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'applied', labels: { document: 'verified', address: 'verified' } });
      expect(await labelValue(user, 'document')).toBe('verified');
      expect(await labelValue(user, 'address')).toBe('verified');
      const activity = await t.dataSource.getRepository(Activity).findOne({ where: { userId: user.id, topic: 'kyc' } });
      expect(activity?.result).toBe('succeed');
    });

    it('rejects the document when the face did not match, even if the document itself passed', async () => {
      const user = await createUser(t);
      await setLabels(user, { document: 'pending', address: 'pending' });
      const body = completed(user.uid, { document: true, facial: false, address: false });
      const res = await post(body, sign(body).toUpperCase());
      expect(res.status).toBe(200);
      expect(await labelValue(user, 'document')).toBe('rejected');
      expect(await labelValue(user, 'address')).toBe('rejected');
    });

    it('decides only labels the user already has, and updates the profile label', async () => {
      const user = await createUser(t);
      await setLabels(user, { profile: 'submitted' });
      const body = completed(user.uid, { document: true, facial: true, profile: true }, { applicant_id: undefined, uid: user.uid });
      const res = await post(body, sign(body));
      expect(res.body.labels).toEqual({ profile: 'verified' });
      expect(await labelValue(user, 'document')).toBeNull();
      expect(await labelValue(user, 'profile')).toBe('verified');
    });

    it('applies a delivery once: a replayed body changes nothing', async () => {
      const user = await createUser(t);
      await setLabels(user, { document: 'pending' });
      const body = completed(user.uid, { document: false, facial: true });
      expect((await post(body, sign(body))).body.status).toBe('applied');
      expect(await labelValue(user, 'document')).toBe('rejected');
      await setLabels(user, { document: 'verified' });
      const replay = await post(body, sign(body));
      expect([replay.status, replay.body.status]).toEqual([200, 'duplicate']);
      expect(await labelValue(user, 'document')).toBe('verified');
    });

    it('acknowledges other event types without changes', async () => {
      const user = await createUser(t);
      await setLabels(user, { document: 'pending' });
      const body = JSON.stringify({ applicant_id: user.uid, type: 'VERIFICATION_STATUS_CHANGED', verifications: { document: { verified: true } } });
      const res = await post(body, sign(body));
      expect([res.status, res.body]).toEqual([200, { status: 'ignored', labels: {} }]);
      expect(await labelValue(user, 'document')).toBe('pending');
    });

    it('answers 404 for an unknown applicant and 422 for a malformed payload', async () => {
      const body = completed('ID0000000000', { document: true, facial: true });
      const unknown = await post(body, sign(body));
      expect([unknown.status, unknown.body.errors]).toEqual([404, ['public.kyc.applicant_doesnt_exist']]);

      const broken = '{"type": "VERIFICATION_COMPLETED",';
      const bad = await post(broken, sign(broken));
      expect(bad.status).toBe(400); // the JSON body parser refuses it before the handler
      const noApplicant = JSON.stringify({ type: 'VERIFICATION_COMPLETED' });
      const missing = await post(noApplicant, sign(noApplicant));
      expect([missing.status, missing.body.errors]).toEqual([422, ['public.kyc.missing_applicant_id']]);
      const list = '[1,2]';
      const arr = await post(list, sign(list));
      expect([arr.status, arr.body.errors]).toEqual([422, ['public.kyc.invalid_payload']]);
    });

    it('checks the signature over the exact bytes (whitespace and key order matter)', async () => {
      const user = await createUser(t);
      await setLabels(user, { address: 'pending' });
      const pretty = JSON.stringify(JSON.parse(completed(user.uid, { address: true })), null, 2);
      const res = await post(pretty, sign(pretty));
      expect(res.status).toBe(200);
      expect(await labelValue(user, 'address')).toBe('verified');
      const compact = JSON.stringify(JSON.parse(pretty));
      expect((await post(compact, sign(pretty))).status).toBe(401);
    });
  });
});

describe('document batches with the kycaid provider', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BARONG_KYC_PROVIDER: 'kycaid', KYC_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('puts the document label to pending only once a passport batch is complete (front + selfie)', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(512, 3)]);
    const upload = async (category: string) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ doc_type: 'Passport', doc_number: 'PP123456', doc_expire: '2099-01-01', identificator: 'kyc-batch-1', doc_category: category })) {
        form.append(k, v);
      }
      form.append('upload[]', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), `${category}.jpg`);
      const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(new URL('/api/v2/barong/resource/documents', t.baseUrl), {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': agent.csrfToken!, 'x-forwarded-for': agent.ip, 'user-agent': agent.userAgent },
        body: form,
      });
      return res.status;
    };
    const label = async () => (await t.dataSource.getRepository(Label).findOne({ where: { userId: user.id, key: 'document', scope: 'private' } }))?.value ?? null;
    expect(await upload('front_side')).toBe(201);
    expect(await label()).toBeNull();
    expect(await upload('selfie')).toBe(201);
    expect(await label()).toBe('pending');
  });
});
