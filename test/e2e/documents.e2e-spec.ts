import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Activity } from '../../src/core/audit/activity.entity.js';
import { Document } from '../../src/identity/documents/document.entity.js';
import { Label } from '../../src/identity/labels/label.entity.js';
import { LabelsService } from '../../src/identity/labels/labels.service.js';
import { UserPresenter } from '../../src/identity/users/user-presenter.js';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { agentWithRole, createUser, signIn } from '../support/factories.js';
import { encodeRgbPng } from '../support/png.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// ---------- real file bytes ----------

/** A valid RGB PNG (signature, IHDR, IDAT, IEND with real CRCs); noise makes it large. */
function makePng(width: number, height: number, seed = 1): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let x = seed;
  for (let i = 0; i < raw.length; i++) {
    if (i % (width * 3 + 1) === 0) continue; // filter byte 0
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = x & 0xff;
  }
  return encodeRgbPng(width, height, raw);
}
/** A minimal one-page PDF with a correct cross-reference table. */
function makePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const PNG = makePng(64, 64);
const PDF = makePdf();
const TEXT_AS_PNG = Buffer.from('this is plain text pretending to be an image\n'.repeat(10));

interface FilePart {
  name: string;
  bytes: Buffer;
  type?: string;
  field?: string;
}

async function postMultipart(t: TestApp, agent: Agent, path: string, fields: Record<string, string>, files: FilePart[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field ?? 'upload[]', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  return postBody(t, agent, path, form);
}

/** A POST as the agent, with its cookies and CSRF token; a string body goes with the given content type. */
async function postBody(t: TestApp, agent: Agent, path: string, body: FormData | string, contentType?: string) {
  const headers: Record<string, string> = { 'user-agent': agent.userAgent, 'x-forwarded-for': agent.ip };
  if (contentType) headers['content-type'] = contentType;
  if (agent.cookies.size) headers.cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (agent.csrfToken) headers['x-csrf-token'] = agent.csrfToken;
  const res = await fetch(new URL(path, t.baseUrl), { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as any) : undefined };
}

async function fetchBytes(t: TestApp, agent: Agent, path: string) {
  const headers: Record<string, string> = { 'user-agent': agent.userAgent, 'x-forwarded-for': agent.ip };
  if (agent.cookies.size) headers.cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(path, t.baseUrl), { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const DOCS = '/api/v2/barong/resource/documents';
const ADDRESSES = '/api/v2/barong/resource/addresses';
const FUTURE = `${new Date().getUTCFullYear() + 5}-06-30`;
const passport = (extra: Record<string, string> = {}) => ({ doc_type: 'Passport', doc_number: 'AB123478', doc_expire: FUTURE, ...extra });

function uploadedFiles(t: TestApp, user: User): string[] {
  const dir = join(t.config.dataDir, 'uploads', 'documents', user.uid);
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith('.tmp')) : [];
}

describe('KYC documents and address proofs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const docsOf = (user: User) => t.dataSource.getRepository(Document).find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
  const labelOf = (user: User, key: string) => t.dataSource.getRepository(Label).findOne({ where: { userId: user.id, key, scope: 'private' } });

  describe('POST resource/documents', () => {
    it('stores every file as its own row in one batch, sets document:pending and leaves the level alone', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      await t.dataSource.transaction((m) => t.get(LabelsService).setPrivate(m, user.id, 'email', 'verified'));
      const before = (await t.dataSource.query('SELECT level, state FROM users WHERE id = $1', [user.id]))[0];
      expect(before.state).toBe('active');
      expect((await agent.get(DOCS)).body).toEqual([]);
      const res = await postMultipart(t, agent, DOCS, passport({ doc_category: 'front_side', metadata: '{"issuer":"UA"}' }), [
        { name: 'front.png', bytes: PNG, type: 'image/png' },
        { name: 'back.PDF', bytes: PDF, type: 'application/pdf' },
      ]);
      expect(res.status).toBe(201);
      expect(res.text).toBe('');

      const rows = await docsOf(user);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => [r.docType, r.fileExt, r.contentType, r.fileSize])).toEqual([
        ['Passport', 'png', 'image/png', PNG.length],
        ['Passport', 'pdf', 'application/pdf', PDF.length],
      ]);
      expect(rows[0]!.identificator).toMatch(/^[0-9a-f]{32}$/);
      expect(rows[1]!.identificator).toBe(rows[0]!.identificator);
      expect(rows[0]!.docExpire).toBe(FUTURE);
      expect(rows[0]!.docCategory).toBe('front_side');
      // The document number and metadata are sealed at rest; the index is a keyed hash, not CRC32.
      expect(rows[0]!.docNumber).not.toContain('AB123478');
      expect(rows[0]!.metadata).not.toContain('issuer');
      expect(rows[0]!.docNumberIndex).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[1]!.docNumberIndex).toBe(rows[0]!.docNumberIndex);

      const label = await labelOf(user, 'document');
      expect(label?.value).toBe('pending');
      const after = await t.dataSource.query('SELECT level, state FROM users WHERE id = $1', [user.id]);
      expect(after[0]).toEqual(before);
      expect(uploadedFiles(t, user).sort()).toEqual(rows.map((r) => `${r.id}.${r.fileExt}`).sort());

      const activity = await t.dataSource.getRepository(Activity).findOne({ where: { userId: user.id, topic: 'documents', action: 'upload' } });
      expect(activity?.result).toBe('succeed');

      const list = await agent.get(DOCS);
      expect(list.status).toBe(200);
      expect(list.body).toHaveLength(2);
      expect(list.body[0]).toMatchObject({
        upload: { url: `/api/v2/barong/admin/documents/${rows[0]!.id}`, type: 'png' },
        doc_type: 'Passport',
        doc_number: 'AB****78',
        doc_expire: FUTURE,
        doc_category: 'front_side',
        identificator: rows[0]!.identificator,
        metadata: '{"issuer":"UA"}',
      });
      expect(list.body[1].upload.type).toBe('pdf');
    });

    it('accepts the `upload` field name and a caller-chosen identificator shared by the batch', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await postMultipart(t, agent, DOCS, passport({ identificator: 'batch-42', doc_category: 'selfie' }), [
        { name: 'a.jpg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]), field: 'upload' },
        { name: 'b.png', bytes: makePng(8, 8, 7), field: 'upload' },
      ]);
      expect(res.status).toBe(201);
      const rows = await docsOf(user);
      expect(rows.map((r) => r.identificator)).toEqual(['batch-42', 'batch-42']);
      expect(rows[0]!.contentType).toBe('image/jpeg');
    });

    it('lists every missing field (422)', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const res = await postMultipart(t, agent, DOCS, {});
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        'resource.document.missing_doc_type',
        'resource.document.empty_doc_type',
        'resource.document.missing_doc_number',
        'resource.document.empty_doc_number',
        'resource.document.missing_upload',
      ]);
      const blank = await postMultipart(t, agent, DOCS, { doc_type: ' ', doc_number: '', doc_expire: FUTURE }, [{ name: 'a.png', bytes: PNG }]);
      expect(blank.status).toBe(422);
      expect(blank.body.errors).toEqual(['resource.document.empty_doc_type', 'resource.document.empty_doc_number']);
    });

    it('refuses a text `upload` (upload.blank) and a bad doc_category', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const text = await postMultipart(t, agent, DOCS, { ...passport(), upload: 'not a file' });
      expect(text.status).toBe(422);
      expect(text.body.errors).toEqual(['upload.blank']);
      const cat = await postMultipart(t, agent, DOCS, passport({ doc_category: 'left_side' }), [{ name: 'a.png', bytes: PNG }]);
      expect(cat.status).toBe(422);
      expect(cat.body.errors).toEqual(['resource.documents.doc_category']);
    });

    it('applies the expiry rules when BARONG_REQUIRED_DOCS_EXPIRE=true', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const file = [{ name: 'a.png', bytes: PNG }];
      const cases: [Record<string, string>, string][] = [
        [{ doc_type: 'Passport', doc_number: 'AB1234' }, 'resource.documents.invalid_format'],
        [passport({ doc_expire: '30/06/2031' }), 'resource.documents.invalid_format'],
        [passport({ doc_expire: 'tomorrow-ish' }), 'resource.documents.expire_not_a_date'],
        [passport({ doc_expire: '2031-02-30' }), 'resource.documents.expire_not_a_date'],
        [passport({ doc_expire: '2001-01-01' }), 'resource.documents.already_expired'],
      ];
      for (const [fields, code] of cases) {
        const res = await postMultipart(t, agent, DOCS, fields, file);
        expect([res.status, res.body.errors]).toEqual([422, [code]]);
      }
      const today = new Date().toISOString().slice(0, 10);
      expect((await postMultipart(t, agent, DOCS, passport({ doc_expire: today }), file)).status).toBe(201);
      expect(await docsOf(user)).toHaveLength(1);
    });

    it('checks doc_type, doc_number and metadata', async () => {
      const { agent } = await agentWithRole(t, 'member');
      const res = await postMultipart(t, agent, DOCS, passport({ doc_type: 'Library card', doc_number: 'AB#12', metadata: '{oops' }), [
        { name: 'a.png', bytes: PNG },
      ]);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(['doc_type.inclusion', 'doc_number.invalid', 'metadata.invalid_format']);
      const long = await postMultipart(t, agent, DOCS, passport({ doc_number: 'A'.repeat(129) }), [{ name: 'a.png', bytes: PNG }]);
      expect(long.body.errors).toEqual(['doc_number.invalid']);
    });

    it('judges the file type by content as well as by extension, and keeps nothing when refused', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const cases: FilePart[] = [
        { name: 'scan.png', bytes: TEXT_AS_PNG, type: 'image/png' },
        { name: 'scan.pdf', bytes: PNG, type: 'application/pdf' },
        { name: 'scan.gif', bytes: PNG, type: 'image/gif' },
        { name: 'scan', bytes: PNG },
      ];
      for (const file of cases) {
        const res = await postMultipart(t, agent, DOCS, passport(), [{ name: 'ok.png', bytes: PNG }, file]);
        expect([file.name, res.status, res.body.errors]).toEqual([file.name, 422, ['resource.documents.invalid_file_type']]);
      }
      expect(await docsOf(user)).toHaveLength(0);
      expect(await labelOf(user, 'document')).toBeNull();
      expect(uploadedFiles(t, user)).toEqual([]);
    });

    it('removes the written files when the transaction fails', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const labels = t.get(LabelsService);
      const spy = jest.spyOn(labels, 'setPrivate').mockRejectedValueOnce(new Error('database went away'));
      try {
        const res = await postMultipart(t, agent, DOCS, passport(), [{ name: 'a.png', bytes: PNG }, { name: 'b.pdf', bytes: PDF }]);
        expect(res.status).toBe(500);
      } finally {
        spy.mockRestore();
      }
      expect(await docsOf(user)).toHaveLength(0);
      expect(uploadedFiles(t, user)).toEqual([]);
    });

    it('refuses more than 10 files in one request (multipart limit)', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const files = Array.from({ length: 11 }, (_, i) => ({ name: `${i}.png`, bytes: makePng(4, 4, i) }));
      const res = await postMultipart(t, agent, DOCS, passport(), files);
      expect([res.status, res.body.errors]).toEqual([422, ['resource.documents.too_many_files']]);
      expect(await docsOf(user)).toHaveLength(0);
    });

    it('reads an empty multipart body as an empty form, and refuses truncated parts and fields named like Object properties (400)', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const empty = await postBody(t, agent, DOCS, '', 'multipart/form-data; boundary=b0undary');
      expect(empty.status).toBe(422);
      expect(empty.body.errors).toContain('resource.document.missing_upload');
      const poisoned = await postMultipart(t, agent, DOCS, { ...passport(), ['__proto__']: 'x' }, [{ name: 'a.png', bytes: PNG }]);
      expect([poisoned.status, poisoned.body.errors]).toEqual([400, ['resource.documents.invalid_multipart']]);
      const part = '--b0undary\r\nContent-Disposition: form-data; name="upload[]"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n';
      const truncated = await postBody(t, agent, DOCS, `${part}${PNG.subarray(0, 20).toString('latin1')}`, 'multipart/form-data; boundary=b0undary');
      expect([truncated.status, truncated.body.errors]).toEqual([400, ['resource.documents.invalid_multipart']]);
      // Also in a field the route does not take, whose bytes are dropped.
      const dropped = await postBody(t, agent, DOCS, `${part.replace('upload[]', 'other')}${PNG.subarray(0, 20).toString('latin1')}`, 'multipart/form-data; boundary=b0undary');
      expect([dropped.status, dropped.body.errors]).toEqual([400, ['resource.documents.invalid_multipart']]);
      expect(await docsOf(user)).toHaveLength(0);
    });

    it('needs a session', async () => {
      const res = await postMultipart(t, t.agent(), DOCS, passport(), [{ name: 'a.png', bytes: PNG }]);
      expect(res.status).toBe(401);
      expect((await t.agent().get(DOCS)).status).toBe(401);
    });
  });

  describe('POST resource/addresses', () => {
    it('stores Address documents and sets address:pending (not document)', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await postMultipart(t, agent, ADDRESSES, { country: 'UA', address: 'Khreshchatyk 1', city: 'Kyiv', postcode: '01001' }, [
        { name: 'bill.pdf', bytes: PDF },
      ]);
      expect(res.status).toBe(201);
      const rows = await docsOf(user);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ docType: 'Address', docNumber: null, fileExt: 'pdf' });
      expect(rows[0]!.metadata).not.toContain('Kyiv');
      expect((await labelOf(user, 'address'))?.value).toBe('pending');
      expect(await labelOf(user, 'document')).toBeNull();
      const list = await agent.get(DOCS);
      expect(list.body[0]).toMatchObject({ doc_type: 'Address', doc_number: null });
      expect(JSON.parse(list.body[0].metadata)).toEqual({ country: 'UA', address: 'Khreshchatyk 1', city: 'Kyiv', postcode: '01001' });
    });

    it('lists missing fields and refuses fake files', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      const res = await postMultipart(t, agent, ADDRESSES, {});
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        'resource.address.missing_country',
        'resource.address.empty_country',
        'resource.address.missing_address',
        'resource.address.empty_address',
        'resource.address.missing_city',
        'resource.address.missing_postcode',
        'resource.address.missing_upload',
      ]);
      const fake = await postMultipart(t, agent, ADDRESSES, { country: 'UA', address: 'x', city: 'y', postcode: '1' }, [{ name: 'a.png', bytes: TEXT_AS_PNG }]);
      expect([fake.status, fake.body.errors]).toEqual([422, ['resource.documents.invalid_file_type']]);
      expect(await labelOf(user, 'address')).toBeNull();
    });
  });

  describe('admin review', () => {
    let admin: Agent;
    const pendingUrl = '/api/v2/barong/admin/users/documents/pending';

    beforeAll(async () => {
      admin = (await agentWithRole(t, 'admin')).agent;
    });

    it('lists users with pending or replaced documents, the oldest label first, with filters and pages', async () => {
      // Start from a clean slate of document labels so the order is ours alone.
      await t.dataSource.query(`DELETE FROM labels WHERE key = 'document'`);
      const labels = t.get(LabelsService);
      const [a, b, c, d] = [await createUser(t), await createUser(t), await createUser(t), await createUser(t)];
      const set = (u: User, value: string) => t.dataSource.transaction((m) => labels.setPrivate(m, u.id, 'document', value));
      await set(a, 'pending');
      await set(b, 'replaced');
      await set(c, 'verified');
      await set(d, 'pending');
      await t.dataSource.query(`UPDATE labels SET updated_at = now() - interval '3 hours' WHERE user_id = $1 AND key = 'document'`, [b.id]);

      const res = await admin.get(pendingUrl);
      expect(res.status).toBe(200);
      expect(res.body.map((u: any) => u.uid)).toEqual([b.uid, a.uid, d.uid]);
      expect(res.headers.total).toBe('3');
      expect(Object.keys(res.body[0]).sort()).toEqual(['data', 'email', 'level', 'otp', 'referral_uid', 'role', 'state', 'uid', 'username']);

      // A re-upload moves the user to the back of the queue.
      await set(b, 'pending');
      expect((await admin.get(pendingUrl)).body.map((u: any) => u.uid)).toEqual([a.uid, d.uid, b.uid]);

      const page = await admin.get(pendingUrl, { query: { page: 2, limit: 2 } });
      expect(page.body.map((u: any) => u.uid)).toEqual([b.uid]);
      expect(page.headers['per-page']).toBe('2');
      expect(page.headers.link).toContain('rel="first"');

      expect((await admin.get(pendingUrl, { query: { email: d.email } })).body.map((u: any) => u.uid)).toEqual([d.uid]);
      expect((await admin.get(pendingUrl, { query: { uid: c.uid } })).body).toEqual([]);
      await t.dataSource.query(`INSERT INTO profiles (user_id, country, state) VALUES ($1, 'UA', 1)`, [a.id]);
      expect((await admin.get(pendingUrl, { query: { country: 'UA' } })).body.map((u: any) => u.uid)).toEqual([a.uid]);
      expect((await admin.get(pendingUrl, { query: { first_name: 'Ann' } })).body).toEqual([]);
      expect((await admin.get(pendingUrl, { query: { extended: 'maybe' } })).body.errors).toEqual(['admin.user.non_boolean_extended']);
      expect((await admin.get(pendingUrl, { query: { limit: 0 } })).body.errors).toEqual(['invalid_limit']);
    });

    it('extended=true gives UserWithKYC with unmasked documents', async () => {
      await t.dataSource.query(`DELETE FROM labels WHERE key = 'document'`);
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await postMultipart(t, agent, DOCS, passport(), [{ name: 'a.png', bytes: PNG }])).status).toBe(201);
      const res = await admin.get(pendingUrl, { query: { extended: 'true' } });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0].uid).toBe(user.uid);
      expect(res.body[0].documents[0]).toMatchObject({ doc_type: 'Passport', doc_number: 'AB123478' });
      expect(res.body[0].labels).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'document', value: 'pending' })]));

      // The owner's own views stay masked.
      const full = await t.get(UserPresenter).withKyc(user);
      expect((full.documents as any[])[0].doc_number).toBe('AB123478');
    });

    it('serves the file bytes with its content type to callers who may read documents', async () => {
      const { agent, user } = await agentWithRole(t, 'member');
      expect((await postMultipart(t, agent, DOCS, passport(), [{ name: 'a.png', bytes: PNG }, { name: 'b.pdf', bytes: PDF }])).status).toBe(201);
      const [png, pdf] = (await agent.get(DOCS)).body as { upload: { url: string } }[];

      const got = await fetchBytes(t, admin, png!.upload.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/png');
      expect(got.headers.get('cache-control')).toBe('private, no-store');
      expect(got.bytes.equals(PNG)).toBe(true);
      const gotPdf = await fetchBytes(t, admin, pdf!.upload.url);
      expect(gotPdf.headers.get('content-type')).toBe('application/pdf');
      expect(gotPdf.bytes.equals(PDF)).toBe(true);

      const audit = await t.dataSource.getRepository(Activity).findOne({ where: { category: 'admin', topic: 'documents', action: 'read', targetUid: user.uid } });
      expect(audit?.result).toBe('succeed');

      const compliance = (await agentWithRole(t, 'compliance')).agent;
      expect((await fetchBytes(t, compliance, png!.upload.url)).bytes.equals(PNG)).toBe(true);

      // technical may read users but not documents.
      const technical = (await agentWithRole(t, 'technical')).agent;
      const denied = await technical.get(png!.upload.url);
      expect([denied.status, denied.body.errors]).toEqual([401, ['admin.ability.not_permitted']]);

      // The owner is a member: no admin access at all.
      expect((await agent.get(png!.upload.url)).status).toBe(401);
      expect((await t.agent().get(png!.upload.url)).status).toBe(401);
    });

    it('answers 404 admin.document.doesnt_exist for unknown ids', async () => {
      for (const id of ['0190c6a2-7f7e-7d1c-9c1e-4b7f2d3e4a5b', 'not-a-uuid']) {
        const res = await admin.get(`/api/v2/barong/admin/documents/${id}`);
        expect([res.status, res.body.errors]).toEqual([404, ['admin.document.doesnt_exist']]);
      }
    });
  });
});

describe('documents with other settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      BARONG_REQUIRED_DOCS_EXPIRE: 'false',
      BARONG_UPLOAD_SIZE_MIN_RANGE: '100',
      BARONG_UPLOAD_SIZE_MAX_RANGE: '1',
      BARONG_DOC_NUM_LIMIT: '3',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('makes doc_expire optional but still checks its shape', async () => {
    const { agent } = await agentWithRole(t, 'member');
    expect((await postMultipart(t, agent, DOCS, { doc_type: 'Passport', doc_number: 'X1' }, [{ name: 'a.png', bytes: PNG }])).status).toBe(201);
    const bad = await postMultipart(t, agent, DOCS, { doc_type: 'Passport', doc_number: 'X1', doc_expire: 'soon' }, [{ name: 'a.png', bytes: PNG }]);
    expect(bad.body.errors).toEqual(['resource.documents.expire_not_a_date']);
  });

  it('refuses files outside the size range (min in bytes, max in MB)', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    const tiny = makePng(1, 1);
    expect(tiny.length).toBeLessThan(100);
    const big = Buffer.concat([makePng(4, 4), Buffer.alloc(1024 * 1024 + 10, 7)]);
    for (const bytes of [tiny, big]) {
      const res = await postMultipart(t, agent, DOCS, { doc_type: 'Passport', doc_number: 'X1' }, [{ name: 'a.png', bytes }]);
      expect([res.status, res.body.errors]).toEqual([422, ['resource.documents.invalid_file_size']]);
    }
    expect(await t.dataSource.getRepository(Document).count({ where: { userId: user.id } })).toBe(0);
  });

  it('enforces BARONG_DOC_NUM_LIMIT', async () => {
    const { agent, user } = await agentWithRole(t, 'member');
    const fields = { doc_type: 'Identity card', doc_number: 'X1' };
    expect((await postMultipart(t, agent, DOCS, fields, [{ name: 'a.png', bytes: PNG }, { name: 'b.png', bytes: PNG }])).status).toBe(201);
    const will = await postMultipart(t, agent, DOCS, fields, [{ name: 'a.png', bytes: PNG }, { name: 'b.png', bytes: PNG }]);
    expect([will.status, will.body.errors]).toEqual([400, ['resource.documents.limit_will_be_reached']]);
    expect((await postMultipart(t, agent, DOCS, fields, [{ name: 'a.png', bytes: PNG }])).status).toBe(201);

    // Above the limit (rows added by other means): nothing more, whatever the batch size.
    const [row] = await t.dataSource.getRepository(Document).find({ where: { userId: user.id }, take: 1 });
    await t.dataSource.getRepository(Document).insert({ ...row!, id: undefined as never, createdAt: undefined as never, updatedAt: undefined as never });
    const reached = await postMultipart(t, agent, DOCS, fields, [{ name: 'a.png', bytes: PNG }]);
    expect([reached.status, reached.body.errors]).toEqual([400, ['resource.documents.limit_reached']]);
    expect(await t.dataSource.getRepository(Document).count({ where: { userId: user.id } })).toBe(4);
  });

  it('counts address proofs against the same limit', async () => {
    const user = await createUser(t);
    const agent = await signIn(t, t.agent(), user);
    const files = [1, 2, 3, 4].map((i) => ({ name: `${i}.png`, bytes: makePng(8, 8, i) }));
    const res = await postMultipart(t, agent, ADDRESSES, { country: 'UA', address: 'x', city: 'y', postcode: '1' }, files);
    expect([res.status, res.body.errors]).toEqual([400, ['resource.documents.limit_will_be_reached']]);
  });
});
