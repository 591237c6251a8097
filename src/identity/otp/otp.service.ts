import { randomInt } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import QRCode from 'qrcode';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { safeEqual } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { LabelsService } from '../labels/labels.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UserChangeHooks, type UserChange } from '../users/user-change-hooks.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { OtpRecoveryCode } from './otp-recovery-code.entity.js';
import { OtpSecret, type OtpSecretState } from './otp-secret.entity.js';
import { SecondFactor, type SecondFactorResult, type SecondFactorVerifier } from './second-factor.js';
import { generateTotpSecret, matchTotpStep, otpauthUrl } from './totp.js';

/** Wrong codes a user may send within the window before every check answers rate_limited. */
export const OTP_MAX_FAILURES = 5;
export const OTP_FAILURE_WINDOW_SECONDS = 300;
export const RECOVERY_CODE_COUNT = 10;
/** No 0/o, 1/l/i: codes are read off paper. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface QrCodeResult {
  data: { barcode: string; url: string };
}

export interface RecoveryCodeView {
  code: string;
  used: boolean;
}

const secretContext = (userId: string): string => `otp-secret:${userId}`;
const recoveryContext = (userId: string): string => `otp-recovery:${userId}`;
const failuresKey = (userId: string): string => `otp:failures:${userId}`;
const normalizeRecovery = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');

function newRecoveryCode(): string {
  let raw = '';
  for (let i = 0; i < 10; i++) raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/**
 * TOTP two-factor authentication kept in the database (Barong keeps it in Vault): a sealed secret
 * per user, a per-step replay guard updated with a conditional UPDATE (strongly consistent across
 * instances), a shared failure counter, and ten single-use recovery codes.
 */
@Injectable()
export class OtpService implements SecondFactorVerifier, OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
    @Inject(CounterStore) private readonly counters: CounterStore,
    private readonly users: UsersService,
    private readonly labels: LabelsService,
    private readonly sessions: SessionsService,
    private readonly activities: ActivitiesService,
    private readonly secondFactor: SecondFactor,
    private readonly hooks: UserChangeHooks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.secondFactor.register(this);
    this.hooks.register((manager, change) => this.onUserChange(manager, change));
  }

  /** 2FA turned off by any path (self, admin): the secret and recovery codes go with it. */
  private async onUserChange(manager: EntityManager, change: UserChange): Promise<void> {
    if (change.before.otp && !change.after.otp) await this.forget(manager, change.after.id);
  }

  private async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(OtpSecret, { userId });
    await manager.delete(OtpRecoveryCode, { userId });
  }

  private async requireUser(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw AppError.unauthorized('authz.invalid_session');
    return user;
  }

  private failed(userId: string, action: string, reason: string, meta: RequestMeta): Promise<void> {
    return this.activities.record({ userId, topic: 'otp', action, result: 'failed', meta, data: { reason } });
  }

  /** POST generate_qrcode: a new pending secret (replacing any pending one) and its QR code. */
  async generateQrCode(userId: string, meta: RequestMeta): Promise<QrCodeResult> {
    const user = await this.requireUser(userId);
    const action = 'request QR code for 2FA';
    if (user.otp) {
      await this.failed(user.id, action, '2FA has been enabled for this account', meta);
      throw AppError.badRequest('resource.otp.already_enabled');
    }
    const secret = generateTotpSecret();
    const url = otpauthUrl(this.config.barong.appName, user.email ?? user.uid, secret);
    const png = await QRCode.toBuffer(url, { type: 'png', width: 300, margin: 2, errorCorrectionLevel: 'M' });
    await this.dataSource.transaction(async (m) => {
      await m
        .createQueryBuilder()
        .insert()
        .into(OtpSecret)
        .values({ userId: user.id, secretSealed: this.sealer.seal(secret, secretContext(user.id)), state: 'pending', lastUsedStep: null, enabledAt: null })
        .orUpdate(['secret_sealed', 'state', 'last_used_step', 'enabled_at', 'updated_at'], ['user_id'])
        .execute();
      await this.activities.record({ userId: user.id, topic: 'otp', action, result: 'succeed', meta }, m);
    });
    return { data: { barcode: png.toString('base64'), url } };
  }

  /** POST enable: proves the pending secret, turns 2FA on, issues recovery codes, ends other sessions. */
  async enable(userId: string, code: string, meta: RequestMeta, keepSessionId?: string): Promise<string[]> {
    const user = await this.requireUser(userId);
    const action = 'enable 2FA';
    if (user.otp) {
      await this.failed(user.id, action, '2FA has been enabled for this account', meta);
      throw AppError.badRequest('resource.otp.already_enabled');
    }
    await this.demand(user.id, code, 'pending', action, meta);
    return this.dataSource.transaction(async (m) => {
      const locked = await m.findOneOrFail(User, { where: { id: user.id }, lock: { mode: 'pessimistic_write' } });
      if (locked.otp) throw AppError.badRequest('resource.otp.already_enabled');
      const switched = await m.update(OtpSecret, { userId: user.id, state: 'pending' }, { state: 'enabled', enabledAt: new Date() });
      if (!switched.affected) throw AppError.unprocessable('resource.otp.invalid');
      const codes = await this.issueRecoveryCodes(m, user.id);
      await this.users.applyChange(m, locked, { otp: true });
      await this.labels.setPrivate(m, user.id, 'otp', 'enabled');
      await this.activities.record({ userId: user.id, topic: 'otp', action, result: 'succeed', meta }, m);
      await this.sessions.revokeAllForUser(user.id, keepSessionId, m);
      return codes;
    });
  }

  /** POST disable: turns 2FA off (API keys go inactive through the user-change hooks). */
  async disable(userId: string, code: string, meta: RequestMeta): Promise<void> {
    const user = await this.requireUser(userId);
    const action = 'disable 2FA';
    if (!user.otp) {
      await this.failed(user.id, action, '2FA has not been enabled for this account', meta);
      throw AppError.badRequest('resource.otp.not_enabled');
    }
    await this.demand(user.id, code, 'enabled', action, meta);
    await this.dataSource.transaction(async (m) => {
      const locked = await m.findOneOrFail(User, { where: { id: user.id }, lock: { mode: 'pessimistic_write' } });
      if (!locked.otp) throw AppError.badRequest('resource.otp.not_enabled');
      await this.users.applyChange(m, locked, { otp: false });
      // Barong removes the label without callbacks: level and state are not recomputed.
      await this.labels.remove(m, user.id, 'otp', 'private', false);
      await this.activities.record({ userId: user.id, topic: 'otp', action, result: 'succeed', meta }, m);
    });
  }

  /** POST verify: checks a code of an enabled 2FA; records only failures. */
  async verifyEndpoint(userId: string, code: string, meta: RequestMeta): Promise<void> {
    const user = await this.requireUser(userId);
    // Barong answers this (wrong) code when 2FA is off; kept for client parity.
    if (!user.otp) throw AppError.badRequest('resource.otp.already_enabled');
    await this.demand(user.id, code, 'enabled', 'verify 2FA code', meta);
  }

  /** Checks a code for an endpoint of this module, recording the failure and mapping it to an error. */
  private async demand(userId: string, code: string, state: OtpSecretState, action: string, meta: RequestMeta): Promise<void> {
    const result = await this.check(userId, code, { state, allowRecoveryCode: false });
    if (result === 'valid') return;
    if (result === 'rate_limited') {
      await this.failed(userId, action, 'Too many invalid codes', meta);
      throw AppError.tooMany('resource.otp.too_many_attempts');
    }
    await this.failed(userId, action, 'OTP code is invalid', meta);
    throw AppError.unprocessable('resource.otp.invalid');
  }

  /** SecondFactorVerifier: login, self-deletion and API-key writes ask here. */
  verify(user: User, code: string, opts: { allowRecoveryCode?: boolean; manager?: EntityManager } = {}): Promise<SecondFactorResult> {
    return this.check(user.id, code, { state: 'enabled', allowRecoveryCode: !!opts.allowRecoveryCode, manager: opts.manager });
  }

  private async check(
    userId: string,
    code: string,
    opts: { state: OtpSecretState; allowRecoveryCode: boolean; manager?: EntityManager },
  ): Promise<SecondFactorResult> {
    const key = failuresKey(userId);
    if ((await this.counters.count(key)) >= OTP_MAX_FAILURES) return 'rate_limited';
    const ok = await this.accept(opts.manager ?? this.dataSource.manager, userId, String(code ?? '').trim(), opts);
    if (!ok) {
      await this.counters.hit(key, OTP_FAILURE_WINDOW_SECONDS);
      return 'invalid';
    }
    await this.counters.reset(key);
    return 'valid';
  }

  private async accept(m: EntityManager, userId: string, code: string, opts: { state: OtpSecretState; allowRecoveryCode: boolean }): Promise<boolean> {
    if (!code) return false;
    const row = await m.findOne(OtpSecret, { where: { userId, state: opts.state } });
    if (!row) return false;
    const step = matchTotpStep(this.sealer.open(row.secretSealed, secretContext(userId)), code);
    if (step !== undefined) {
      // Once per step: the UPDATE only succeeds when no code of this or a later step was used.
      const res = await m
        .createQueryBuilder()
        .update(OtpSecret)
        .set({ lastUsedStep: step })
        .where('id = :id AND (last_used_step IS NULL OR last_used_step < :step)', { id: row.id, step })
        .execute();
      return (res.affected ?? 0) > 0;
    }
    return opts.allowRecoveryCode && opts.state === 'enabled' ? this.useRecoveryCode(m, userId, code) : false;
  }

  private async useRecoveryCode(m: EntityManager, userId: string, code: string): Promise<boolean> {
    const wanted = normalizeRecovery(code);
    if (wanted.length !== 10) return false;
    const unused = await m.find(OtpRecoveryCode, { where: { userId, usedAt: IsNull() } });
    const hit = unused.find((r) => safeEqual(normalizeRecovery(this.sealer.open(r.codeSealed, recoveryContext(userId))), wanted));
    if (!hit) return false;
    const res = await m.update(OtpRecoveryCode, { id: hit.id, usedAt: IsNull() }, { usedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  /** Replaces a user's recovery codes with ten new ones and returns them (shown once here). */
  async issueRecoveryCodes(m: EntityManager, userId: string): Promise<string[]> {
    await m.delete(OtpRecoveryCode, { userId });
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await m.insert(
      OtpRecoveryCode,
      codes.map((code) => ({ userId, codeSealed: this.sealer.seal(code, recoveryContext(userId)), usedAt: null })),
    );
    return codes;
  }

  /** The user's recovery codes with their used flag (for faces that list them again). */
  async recoveryCodes(userId: string, m: EntityManager = this.dataSource.manager): Promise<RecoveryCodeView[]> {
    const rows = await m.find(OtpRecoveryCode, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((r) => ({ code: this.sealer.open(r.codeSealed, recoveryContext(userId)), used: r.usedAt !== null }));
  }
}
