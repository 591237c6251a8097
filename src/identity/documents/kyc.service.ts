import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { safeEqual, sha256Hex } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { LabelsService } from '../labels/labels.service.js';
import { User } from '../users/user.entity.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

/** How long a delivered callback body is remembered, so a replay changes nothing. */
const REPLAY_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface KycCallbackResult {
  status: 'applied' | 'ignored' | 'duplicate';
  labels: Record<string, string>;
}

interface Decision {
  verified?: unknown;
}

/**
 * The KYC provider's verification callback (KYCAID-style payload). The provider signs the exact
 * body: `X-Signature` = hex HMAC-SHA256(KYC_WEBHOOK_SECRET, raw body). The applicant is the
 * user whose uid is `uid` (or `applicant_id`, the external applicant id set to the user's uid).
 */
@Injectable()
export class KycService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly labels: LabelsService,
    private readonly counters: CounterStore,
    private readonly activities: ActivitiesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  verifySignature(rawBody: Buffer | undefined, signature: string | undefined): void {
    const secret = this.config.kyc.webhookSecret;
    if (this.config.kyc.provider === 'local' || !secret) throw AppError.unprocessable('public.kyc.disabled');
    if (!rawBody || !signature) throw AppError.unauthorized('public.kyc.invalid_signature');
    const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
    const given = signature.trim().toLowerCase().replace(/^sha256=/, '');
    if (!safeEqual(given, expected)) throw AppError.unauthorized('public.kyc.invalid_signature');
  }

  async handle(rawBody: Buffer, meta: RequestMeta): Promise<KycCallbackResult> {
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      payload = parsed as Record<string, unknown>;
    } catch {
      throw AppError.unprocessable('public.kyc.invalid_payload');
    }
    const uid = typeof payload.uid === 'string' ? payload.uid : typeof payload.applicant_id === 'string' ? payload.applicant_id : '';
    if (!uid) throw AppError.unprocessable('public.kyc.missing_applicant_id');
    if (payload.type !== 'VERIFICATION_COMPLETED') return { status: 'ignored', labels: {} };
    const verifications = (payload.verifications && typeof payload.verifications === 'object' ? payload.verifications : {}) as Record<string, Decision | undefined>;

    const user = await this.dataSource.manager.findOne(User, { where: { uid: uid.toUpperCase(), appId: DEFAULT_APP_ID } });
    if (!user) throw AppError.notFound('public.kyc.applicant_doesnt_exist');
    if (!(await this.counters.claim(`kyc:callback:${sha256Hex(rawBody)}`, REPLAY_WINDOW_MS))) return { status: 'duplicate', labels: {} };

    const ok = (d: Decision | undefined): boolean | undefined => (d && typeof d === 'object' ? d.verified === true : undefined);
    const decisions: Record<string, boolean> = {};
    const document = ok(verifications.document);
    const facial = ok(verifications.facial);
    if (document !== undefined || facial !== undefined) decisions.document = document === true && facial === true;
    const address = ok(verifications.address);
    if (address !== undefined) decisions.address = address;
    const profile = ok(verifications.profile);
    if (profile !== undefined) decisions.profile = profile;

    const applied: Record<string, string> = {};
    await this.dataSource.transaction(async (m) => {
      for (const [key, verified] of Object.entries(decisions)) {
        // Only labels the user's own submission created are decided (as Barong does).
        if (!(await this.labels.find(user.id, key, 'private', m))) continue;
        const value = verified ? 'verified' : 'rejected';
        await this.labels.setPrivate(m, user.id, key, value);
        applied[key] = value;
      }
      await this.activities.record(
        {
          userId: user.id,
          topic: 'kyc',
          action: 'kyc callback',
          result: 'succeed',
          meta,
          data: { verification_id: typeof payload.verification_id === 'string' ? payload.verification_id : null, labels: applied },
        },
        m,
      );
    });
    return { status: 'applied', labels: applied };
  }
}
