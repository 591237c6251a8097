import { EventsService } from '../../core/messaging/events.service.js';
import { UserEvents } from '../users/user-events.js';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { randomHex } from '../../core/crypto/tokens.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { AppError } from '../../core/http/app-error.js';
import type { Page } from '../../core/http/pagination.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { Label } from '../labels/label.entity.js';
import { LabelsService } from '../labels/labels.service.js';
import { UserSections } from '../users/user-sections.js';
import { User } from '../users/user.entity.js';
import { Document } from './document.entity.js';
import type { AddressUploadDto, DocumentDto, DocumentUploadDto, PendingDocumentsQueryDto } from './documents.dto.js';
import { extensionMatches, extensionOf, sniffFileType, SniffedType } from './file-type.js';
import type { UploadedFile } from './multipart.js';
import { PiiIndex } from './pii-index.js';
import { FileStorage } from './storage/file-storage.js';

const NUMBER_CONTEXT = 'documents.doc_number';
const METADATA_CONTEXT = 'documents.metadata';
export const ADDRESS_DOC_TYPE = 'Address';
/** Barong's KYCAID batch sizes: passport front + selfie; ID card / driver license front, back + selfie. */
const REQUIRED_DOC_AMOUNT: Record<string, number> = { Passport: 2, 'Identity card': 3, 'Driver license': 3 };

/** Barong's masking: first and last two characters kept, the middle starred (`AA****BB`). */
export function maskDocNumber(value: string): string {
  if (value.length <= 4) return value;
  return value.slice(0, 2) + '*'.repeat(value.length - 4) + value.slice(-2);
}

interface CheckedFile {
  file: UploadedFile;
  type: SniffedType;
}

const iso = (d: Date): string => d.toISOString();
const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/** A real calendar date written YYYY-MM-DD. */
function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Looks like a date in some other notation (31/12/2030, 2030.12.31, 2030-1-5, "Dec 31 2030"). */
function looksLikeDate(value: string): boolean {
  if (/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(value)) {
    const parts = value.split(/[-/.]/).map(Number);
    return parts.every((n) => n > 0) && parts.filter((n) => n <= 12).length >= 1 && parts.filter((n) => n <= 31).length >= 2;
  }
  return /[A-Za-z]{3,}/.test(value) && /\d{4}/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * KYC documents and address proofs: validation, storage, the review labels, and the views
 * (masked for the owner, unmasked for admins).
 */
@Injectable()
export class DocumentsService implements OnModuleInit {
  private readonly logger = new Logger('Documents');

  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
    private readonly labels: LabelsService,
    private readonly sections: UserSections,
    private readonly sealer: SecretSealer,
    private readonly index: PiiIndex,
    private readonly activities: ActivitiesService,
    private readonly events: EventsService,
    private readonly userEvents: UserEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sections.register('documents', async (userIds, ctx) => {
      const out = new Map<string, unknown[]>();
      if (!userIds.length) return out;
      const docs = await (ctx.manager ?? this.dataSource.manager).find(Document, {
        where: { userId: In(userIds) },
        order: { createdAt: 'ASC' },
      });
      for (const doc of docs) {
        const list = out.get(doc.userId) ?? [];
        list.push(this.view(doc, ctx.admin));
        out.set(doc.userId, list);
      }
      return out;
    });
  }

  view(doc: Document, admin: boolean): DocumentDto {
    const number = doc.docNumber ? this.sealer.open(doc.docNumber, NUMBER_CONTEXT) : null;
    return {
      upload: { url: `/api/v2/barong/admin/documents/${doc.id}`, type: doc.fileExt },
      doc_type: doc.docType,
      doc_number: number === null ? null : admin ? number : maskDocNumber(number),
      doc_expire: doc.docExpire,
      doc_category: doc.docCategory,
      identificator: doc.identificator,
      metadata: doc.metadata ? this.sealer.open(doc.metadata, METADATA_CONTEXT) : null,
      created_at: iso(doc.createdAt),
      updated_at: iso(doc.updatedAt),
    };
  }

  async list(userId: string): Promise<DocumentDto[]> {
    const docs = await this.dataSource.manager.find(Document, { where: { userId }, order: { createdAt: 'ASC' } });
    return docs.map((d) => this.view(d, false));
  }

  /** `upload` must be real files: absent → missing_upload, a text value → upload.blank. */
  uploadCodes(files: UploadedFile[], textUpload: boolean, prefix: string): string[] {
    if (files.length) return [];
    return textUpload ? ['upload.blank'] : [`${prefix}.missing_upload`];
  }

  /** Barong's doc_expire rules; returns the date to store. */
  private checkExpire(raw: string | undefined): string | null {
    const value = raw?.trim() ?? '';
    const shapedButInvalid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !isIsoDate(value);
    if (value && (shapedButInvalid || (!isIsoDate(value) && !looksLikeDate(value)))) {
      throw AppError.unprocessable('resource.documents.expire_not_a_date');
    }
    if (this.config.kyc.requiredDocsExpire) {
      if (!isIsoDate(value)) throw AppError.unprocessable('resource.documents.invalid_format');
      if (value < todayUtc()) throw AppError.unprocessable('resource.documents.already_expired');
      return value;
    }
    if (!value) return null;
    if (!isIsoDate(value)) throw AppError.unprocessable('resource.documents.invalid_format');
    return value;
  }

  private async checkLimits(manager: EntityManager, userId: string, adding: number): Promise<void> {
    const limit = this.config.kyc.docNumLimit;
    const existing = await manager.count(Document, { where: { userId } });
    if (existing > limit) throw AppError.badRequest('resource.documents.limit_reached');
    if (existing + adding > limit) throw AppError.badRequest('resource.documents.limit_will_be_reached');
  }

  /** Size bounds, then the extension whitelist, then the bytes themselves must be that type. */
  private checkFiles(files: UploadedFile[]): CheckedFile[] {
    const { uploadMinBytes, uploadMaxBytes, uploadExtensions } = this.config.kyc;
    const checked: CheckedFile[] = [];
    for (const file of files) {
      if (file.tooLarge || file.size > uploadMaxBytes || file.size < uploadMinBytes) {
        throw AppError.unprocessable('resource.documents.invalid_file_size');
      }
      const ext = extensionOf(file.filename);
      const type = sniffFileType(file.bytes);
      if (!uploadExtensions.includes(ext) || !type || !extensionMatches(ext, type)) {
        throw AppError.unprocessable('resource.documents.invalid_file_type');
      }
      checked.push({ file, type });
    }
    return checked;
  }

  private modelErrors(dto: DocumentUploadDto): { metadata: string | null } {
    const codes: string[] = [];
    if (!this.config.kyc.documentTypes.includes(dto.doc_type)) codes.push('doc_type.inclusion');
    if (dto.doc_number.length > 128 || !/^[A-Za-z0-9 -]+$/.test(dto.doc_number)) codes.push('doc_number.invalid');
    let metadata: string | null = null;
    if (dto.metadata !== undefined && dto.metadata.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(dto.metadata);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        metadata = JSON.stringify(parsed);
      } catch {
        codes.push('metadata.invalid_format');
      }
    }
    if (dto.identificator !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(dto.identificator)) codes.push('identificator.invalid');
    if (codes.length) throw AppError.unprocessable(codes);
    return { metadata };
  }

  async upload(user: User, dto: DocumentUploadDto, files: UploadedFile[], meta: RequestMeta): Promise<void> {
    const docExpire = this.checkExpire(dto.doc_expire);
    await this.checkLimits(this.dataSource.manager, user.id, files.length);
    const { metadata } = this.modelErrors(dto);
    const checked = this.checkFiles(files);
    const identificator = dto.identificator ?? randomHex(16);
    const number = dto.doc_number;
    await this.store(user, checked, async (m, keys) => {
      await this.checkLimits(m, user.id, files.length);
      const rows = this.rowsFor(m, user.id, checked, keys, {
        docType: dto.doc_type,
        docNumber: this.sealer.seal(number, NUMBER_CONTEXT),
        docNumberIndex: this.index.of('doc_number', number.replace(/[\s-]/g, '').toUpperCase()),
        docExpire,
        docIssue: null,
        docCategory: dto.doc_category ?? null,
        identificator,
        metadata: metadata === null ? null : this.sealer.seal(metadata, METADATA_CONTEXT),
      });
      await m.save(rows);
      if (this.events.enabled) {
        const owner = await this.userEvents.record(m, user);
        for (const row of rows) {
          await this.events.emit(m, 'model.document.created', {
            record: {
              user: owner,
              upload: encodeURI(row.upload),
              doc_type: row.docType,
              doc_number: number,
              doc_expire: row.docExpire,
              doc_category: row.docCategory,
              identificator: row.identificator,
              metadata,
              created_at: row.createdAt,
              updated_at: row.updatedAt,
            },
          });
        }
      }
      if (dto.doc_type !== ADDRESS_DOC_TYPE && (await this.shouldMarkPending(m, user.id, dto.doc_type, identificator))) {
        await this.labels.setPrivate(m, user.id, 'document', 'pending');
      }
      await this.activities.record(
        {
          userId: user.id,
          topic: 'documents',
          action: 'upload',
          result: 'succeed',
          meta,
          data: { doc_type: dto.doc_type, files: rows.length, identificator },
        },
        m,
      );
    });
  }

  /** Provider local: every upload puts the document label to pending; KYCAID waits for a full batch. */
  private async shouldMarkPending(m: EntityManager, userId: string, docType: string, identificator: string): Promise<boolean> {
    if (this.config.kyc.provider === 'local') return true;
    const required = REQUIRED_DOC_AMOUNT[docType];
    if (!required) return false;
    return (await m.count(Document, { where: { userId, identificator } })) === required;
  }

  async uploadAddress(user: User, dto: AddressUploadDto, files: UploadedFile[], meta: RequestMeta): Promise<void> {
    await this.checkLimits(this.dataSource.manager, user.id, files.length);
    const checked = this.checkFiles(files);
    const identificator = randomHex(16);
    const metadata = JSON.stringify({ country: dto.country, address: dto.address, city: dto.city, postcode: dto.postcode });
    await this.store(user, checked, async (m, keys) => {
      await this.checkLimits(m, user.id, files.length);
      const rows = this.rowsFor(m, user.id, checked, keys, {
        docType: ADDRESS_DOC_TYPE,
        docNumber: null,
        docNumberIndex: null,
        docExpire: null,
        docIssue: null,
        docCategory: null,
        identificator,
        metadata: this.sealer.seal(metadata, METADATA_CONTEXT),
      });
      await m.save(rows);
      await this.labels.setPrivate(m, user.id, 'address', 'pending');
      await this.activities.record(
        { userId: user.id, topic: 'documents', action: 'address upload', result: 'succeed', meta, data: { files: rows.length, identificator } },
        m,
      );
    });
  }

  /** One document row per checked file, stored under its key; `fields` are what the upload says of them. */
  private rowsFor(
    m: EntityManager,
    userId: string,
    checked: CheckedFile[],
    keys: { id: string; key: string }[],
    fields: Pick<Document, 'docType' | 'docNumber' | 'docNumberIndex' | 'docExpire' | 'docIssue' | 'docCategory' | 'identificator' | 'metadata'>,
  ): Document[] {
    return checked.map((c, i) =>
      m.create(Document, { id: keys[i]!.id, userId, upload: keys[i]!.key, contentType: c.type.contentType, fileExt: c.type.ext, fileSize: c.file.size, ...fields }),
    );
  }

  /**
   * Writes the files, then runs `write` in one transaction (which locks the user row so
   * concurrent uploads respect the limit). Files are removed again when anything fails.
   */
  private async store(
    user: User,
    files: CheckedFile[],
    write: (m: EntityManager, keys: { id: string; key: string }[]) => Promise<void>,
  ): Promise<void> {
    const keys = files.map((f) => {
      const id = uuidv7();
      return { id, key: `documents/${user.uid}/${id}.${f.type.ext}` };
    });
    const written: string[] = [];
    try {
      for (let i = 0; i < files.length; i++) {
        try {
          await this.storage.put(keys[i]!.key, files[i]!.file.bytes, files[i]!.type.contentType);
        } catch (err) {
          this.logger.error(`storage write failed: ${err instanceof Error ? err.message : String(err)}`);
          throw AppError.unprocessable('resource.documents.connection_error');
        }
        written.push(keys[i]!.key);
      }
      await this.dataSource.transaction(async (m) => {
        await m.findOneOrFail(User, { where: { id: user.id }, lock: { mode: 'pessimistic_write' } });
        await write(m, keys);
      });
    } catch (err) {
      await Promise.all(written.map((k) => this.storage.delete(k).catch(() => undefined)));
      throw err;
    }
  }

  /** Users whose private `document` label is pending or replaced, the longest-waiting first. */
  async pendingUsers(q: PendingDocumentsQueryDto): Promise<Page<User>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(Label, 'l', "l.userId = u.id AND l.key = 'document' AND l.scope = 'private' AND l.value IN ('pending', 'replaced')");
    if (q.uid) qb.andWhere('u.uid = :uid', { uid: q.uid });
    if (q.email) qb.andWhere('u.email = :email', { email: q.email.trim().toLowerCase() });
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.level !== undefined) qb.andWhere('u.level = :level', { level: q.level });
    if (q.state) qb.andWhere('u.state = :state', { state: q.state });
    // Profiles belong to the profiles module; its table is only read here. Names are sealed, so they never match.
    if (q.first_name !== undefined || q.last_name !== undefined) qb.andWhere('1 = 0');
    if (q.country) {
      qb.andWhere('EXISTS (SELECT 1 FROM "profiles" p WHERE p."user_id" = u.id AND p."country" = :country)', { country: q.country });
    }
    const column = q.range === 'updated' ? 'u.updatedAt' : 'u.createdAt';
    if (q.from !== undefined) qb.andWhere(`${column} >= :from`, { from: new Date(q.from * 1000) });
    if (q.to !== undefined) qb.andWhere(`${column} <= :to`, { to: new Date(q.to * 1000 + 999) });
    qb.orderBy('l.updatedAt', 'ASC').addOrderBy('u.id', 'ASC');
    // offset/limit, not skip/take: the label is joined for filtering and ordering only.
    qb.offset((q.page - 1) * q.limit).limit(q.limit);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, page: q.page, limit: q.limit };
  }

  /** The file behind an admin document URL, with its owner (404 admin.document.doesnt_exist). */
  async file(id: string): Promise<{ doc: Document; owner: User; bytes: Buffer }> {
    const notFound = AppError.notFound('admin.document.doesnt_exist');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound;
    const doc = await this.dataSource.manager.findOne(Document, { where: { id } });
    if (!doc) throw notFound;
    const owner = await this.dataSource.manager.findOneOrFail(User, { where: { id: doc.userId } });
    const bytes = await this.storage.get(doc.upload);
    if (!bytes) throw notFound;
    return { doc, owner, bytes };
  }

  recordDownload(adminId: string, owner: User, doc: Document, meta: RequestMeta): Promise<void> {
    return this.activities.record({
      userId: adminId,
      category: 'admin',
      targetUid: owner.uid,
      topic: 'documents',
      action: 'read',
      result: 'succeed',
      meta,
      data: { document_id: doc.id, doc_type: doc.docType },
    });
  }
}
