import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Not, QueryFailedError } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { randomDigits, safeEqual } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { OutboxService } from '../../core/messaging/outbox.service.js';
import { LabelsService } from '../labels/labels.service.js';
import { UserPresenter } from '../users/user-presenter.js';
import { UserSections } from '../users/user-sections.js';
import { User } from '../users/user.entity.js';
import { PiiIndex } from '../documents/pii-index.js';
import { Phone } from './phone.entity.js';
import { maskPhone, ParsedPhone, parsePhone } from './phone-number.js';
import type { PhoneDto } from './phones.dto.js';

const NUMBER_CONTEXT = 'phones.number';

/** What a face demands of a user before a code is texted (the Barong face: a confirmed e-mail). */
export interface SendPolicy {
  requireConfirmedEmail?: boolean;
}
const CODE_DIGITS = 5;

/**
 * Phone numbers and their SMS verification (Barong §8.4 with 3.0's abuse limits). Codes are
 * random, kept only as a keyed hash, leave through the outbox in the same transaction, and are
 * always compared: there is no provider that accepts any code.
 */
@Injectable()
export class PhonesService implements OnModuleInit {
  private readonly codeKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
    private readonly index: PiiIndex,
    private readonly outbox: OutboxService,
    private readonly labels: LabelsService,
    private readonly sections: UserSections,
    private readonly presenter: UserPresenter,
    private readonly activities: ActivitiesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.codeKey = Buffer.from(hkdfSync('sha256', config.secretKey, 'barong-nest', 'phone-codes', 32));
  }

  onModuleInit(): void {
    this.sections.register('phones', async (userIds, ctx) => {
      const out = new Map<string, unknown[]>();
      if (!userIds.length) return out;
      const phones = await (ctx.manager ?? this.dataSource.manager).find(Phone, { where: { userId: In(userIds) }, order: { createdAt: 'ASC' } });
      for (const p of phones) {
        const list = out.get(p.userId) ?? [];
        list.push(this.view(p, ctx.admin));
        out.set(p.userId, list);
      }
      return out;
    });
  }

  view(phone: Phone, admin: boolean): PhoneDto {
    const digits = this.sealer.open(phone.number, NUMBER_CONTEXT);
    return { country: phone.country, number: admin ? digits : maskPhone(digits), validated_at: phone.validatedAt?.toISOString() ?? null };
  }

  async list(userId: string): Promise<PhoneDto[]> {
    const phones = await this.dataSource.manager.find(Phone, { where: { userId }, order: { createdAt: 'ASC' } });
    return phones.map((p) => this.view(p, false));
  }

  private codeDigest(phoneId: string, code: string): string {
    return createHmac('sha256', this.codeKey).update(`${phoneId}:${code}`).digest('hex');
  }

  /** Barong's guard on every phone endpoint: a valid number nobody has verified yet. */
  private async guard(input: string, manager: EntityManager): Promise<{ parsed: ParsedPhone; numberIndex: string }> {
    const parsed = parsePhone(input);
    if (!parsed) throw AppError.badRequest('resource.phone.invalid_num');
    const numberIndex = this.index.of('phone', parsed.digits);
    if (await manager.exists(Phone, { where: { numberIndex, validatedAt: Not(IsNull()) } })) {
      throw AppError.badRequest('resource.phone.number_exist');
    }
    return { parsed, numberIndex };
  }

  /** Checked right before a text goes out, after the number checks (which send nothing). */
  private admitSender(user: User, policy: SendPolicy): void {
    // A pending account has not confirmed its e-mail: nobody has vouched for it yet.
    if (policy.requireConfirmedEmail && user.state === 'pending') throw AppError.forbidden('resource.phone.email_not_confirmed');
  }

  private async sendCode(m: EntityManager, phone: Phone, parsed: ParsedPhone): Promise<void> {
    const code = randomDigits(CODE_DIGITS);
    phone.codeDigest = this.codeDigest(phone.id, code);
    phone.codeSentAt = new Date();
    phone.retriesSend += 1;
    await m.save(phone);
    await this.sections.changed(phone.userId, m);
    const body = this.config.kyc.phone.smsTemplate.replace(/\{\{\s*code\s*\}\}/g, code);
    await this.outbox.enqueueSms(m, parsed.e164, body, 'phone_verification');
  }

  async add(user: User, input: string, channel: string, meta: RequestMeta, policy: SendPolicy = {}): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.findOneOrFail(User, { where: { id: user.id }, lock: { mode: 'pessimistic_write' } });
      const { parsed, numberIndex } = await this.guard(input, m);
      if (await m.exists(Phone, { where: { userId: user.id, numberIndex } })) throw AppError.badRequest('resource.phone.exists');
      const unverified = await m.count(Phone, { where: { userId: user.id, validatedAt: IsNull() } });
      if (unverified >= this.config.kyc.phone.maxUnverified) throw AppError.badRequest('resource.phone.too_many_unverified');
      this.admitSender(user, policy);
      const phone = m.create(Phone, {
        userId: user.id,
        country: parsed.country,
        number: this.sealer.seal(parsed.digits, NUMBER_CONTEXT),
        numberIndex,
        codeDigest: null,
        codeSentAt: null,
        retriesSend: 0,
        retriesVerify: 0,
        validatedAt: null,
      });
      await m.save(phone);
      await this.sendCode(m, phone, parsed);
      await this.activities.record({ userId: user.id, topic: 'phone', action: 'add phone', result: 'succeed', meta, data: { channel, country: parsed.country } }, m);
    });
  }

  async resend(user: User, input: string, policy: SendPolicy = {}): Promise<void> {
    const { delay, maxSend } = { delay: this.config.kyc.phone.codeMinDelaySeconds, maxSend: this.config.kyc.phone.maxSendRetries };
    await this.dataSource.transaction(async (m) => {
      const { parsed, numberIndex } = await this.guard(input, m);
      const phone = await m.findOne(Phone, { where: { userId: user.id, numberIndex }, lock: { mode: 'pessimistic_write' } });
      if (!phone) throw AppError.notFound('resource.phone.doesnt_exist');
      if (phone.codeSentAt && Date.now() - phone.codeSentAt.getTime() < delay * 1000) {
        throw AppError.badRequest('resource.phone.code_sent_too_fast');
      }
      if (phone.retriesSend >= maxSend) throw AppError.badRequest('resource.phone.too_many_retries');
      this.admitSender(user, policy);
      await this.sendCode(m, phone, parsed);
    });
  }

  async verify(user: User, input: string, code: string, meta: RequestMeta): Promise<Record<string, unknown>> {
    const outcome = await this.dataSource.transaction(async (m) => {
      const { numberIndex } = await this.guard(input, m);
      const phone = await m.findOne(Phone, { where: { userId: user.id, numberIndex }, lock: { mode: 'pessimistic_write' } });
      if (!phone) throw AppError.notFound('resource.phone.doesnt_exist');
      if (phone.retriesVerify >= this.config.kyc.phone.maxVerifyRetries) throw AppError.badRequest('resource.phone.too_many_retries');
      const matches = !!phone.codeDigest && /^\d+$/.test(code.trim()) && safeEqual(this.codeDigest(phone.id, code.trim()), phone.codeDigest);
      if (!matches) {
        // The failed attempt is counted (and committed) before the error goes out.
        phone.retriesVerify += 1;
        await m.save(phone);
        await this.activities.record({ userId: user.id, topic: 'phone', action: 'verify phone', result: 'failed', meta, data: { reason: 'invalid code' } }, m);
        return 'invalid' as const;
      }
      phone.validatedAt = new Date();
      phone.codeDigest = null;
      await m.save(phone);
      await this.labels.setPrivate(m, user.id, 'phone', 'verified');
      await this.activities.record({ userId: user.id, topic: 'phone', action: 'verify phone', result: 'succeed', meta, data: { country: phone.country } }, m);
      return 'verified' as const;
    }).catch((err: unknown) => {
      // Someone else verified the same number a moment earlier (uq_phones_verified_number).
      if (err instanceof QueryFailedError && (err as QueryFailedError & { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw AppError.badRequest('resource.phone.number_exist');
      }
      throw err;
    });
    if (outcome === 'invalid') throw AppError.notFound('resource.phone.verification_invalid');
    const fresh = await this.dataSource.manager.findOneOrFail(User, { where: { id: user.id } });
    return this.presenter.fullInfo(fresh);
  }
}
