import { randomInt } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { safeEqual } from '../../core/crypto/tokens.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { AppDirectory } from '../apps/app-directory.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { badRequest, notFound, tooManyRequests, unauthorized } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { deviceFingerprintOf, type Input, intInRange, unix } from '../common/input.js';
import { PlatformSessionsService } from '../sessions/platform-sessions.service.js';
import { sessionParamsOf } from '../sessions/session-params.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import type { PlatformUser } from '../users/user.entity.js';
import { PlatformEmail } from '../users/user.entity.js';
import { PlatformTotp } from './totp.entity.js';

const SECRET_CONTEXT = 'platform-totp-secret';
const CODES_CONTEXT = 'platform-totp-recovery';
const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_FAILURES = 10;
const FAILURE_WINDOW = 300;

interface RecoveryCode {
  code: string;
  used: boolean;
}

const recoveryCode = (): string => {
  const part = () => Array.from({ length: 5 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${part()}-${part()}`;
};

/**
 * TOTP authenticators (RFC 6238 through otplib: SHA-1, 6 digits, 30 s, ±1 step), several per user,
 * each with 16 single-use recovery codes that can be listed again.
 */
@Injectable()
export class TotpsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: PlatformUsersService,
    private readonly sessions: PlatformSessionsService,
    private readonly sealer: SecretSealer,
    private readonly apps: AppDirectory,
    private readonly counters: CounterStore,
  ) {}

  /** Wrong TOTP or recovery codes of a user: after MAX_FAILURES in FAILURE_WINDOW seconds, 429 until the window ends. */
  private async guardGuessing(userId: string): Promise<void> {
    if ((await this.counters.count(`platform:totp-fail:${userId}`)) >= MAX_FAILURES) throw tooManyRequests('Too many wrong codes, try again later');
  }

  private async countFailure(userId: string): Promise<void> {
    await this.counters.hit(`platform:totp-fail:${userId}`, FAILURE_WINDOW);
  }

  onModuleInit(): void {
    this.users.addHook({ deleted: async (m, user) => void (await m.delete(PlatformTotp, { userId: user.id })) });
    this.users.addSection('totps', async (appId, userIds) => {
      const rows = await this.dataSource.getRepository(PlatformTotp).createQueryBuilder('t').where('t.app_id = :appId AND t.user_id IN (:...userIds)', { appId, userIds }).orderBy('t.id').getMany();
      const out = new Map<string, unknown[]>();
      for (const t of rows) out.set(t.userId, [...(out.get(t.userId) ?? []), { id: pid('totp', t.id), user_id: pid('user', t.userId), verified: t.verified, created_at: unix(t.createdAt), updated_at: unix(t.updatedAt) }]);
      return out;
    });
    this.users.addSearchField('totp_id', { table: 'platform_totps', column: 'id', kind: 'id', prefix: 'totp' });
    this.users.addSearchField('totp_verified', { table: 'platform_totps', column: 'verified', kind: 'bool' });
  }

  async create(appId: string, input: Input): Promise<Record<string, unknown>> {
    const expiresIn = intInRange(input, 'expires_in', 5, 2160, 30, 'invalid_expiration');
    const app = await this.apps.get(appId);
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.require(appId, input.user_id, m, true);
      const secret = generateSecret({ length: 20 });
      const codes = Array.from({ length: 16 }, recoveryCode);
      const totp = m.create(PlatformTotp, {
        id: uuidv7(),
        appId,
        userId: user.id,
        secretSealed: this.sealer.seal(secret, SECRET_CONTEXT),
        recoveryCodesSealed: this.sealer.seal(JSON.stringify(codes.map((code) => ({ code, used: false }))), CODES_CONTEXT),
        verified: false,
        expiresAt: new Date(Date.now() + expiresIn * 60_000),
        lastStep: '0',
      });
      await m.insert(PlatformTotp, totp);
      await this.users.touch(m, user.id);
      const email = await m.findOne(PlatformEmail, { where: { userId: user.id }, order: { id: 'ASC' } });
      const uri = generateURI({ issuer: app.name, label: email?.email ?? pid('user', user.id), secret });
      return {
        user_id: pid('user', user.id),
        totp_id: pid('totp', totp.id),
        secret,
        recovery_codes: codes,
        qr_base64: await QRCode.toDataURL(uri, { width: 200, margin: 1 }),
      };
    });
  }

  private usable(t: PlatformTotp): boolean {
    return t.verified || t.expiresAt.getTime() > Date.now();
  }

  private async live(m: EntityManager, user: PlatformUser): Promise<PlatformTotp[]> {
    const rows = await m.find(PlatformTotp, { where: { userId: user.id }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    return rows.filter((t) => this.usable(t));
  }

  async verify(appId: string, input: Input): Promise<Record<string, unknown>> {
    const code = typeof input.totp === 'string' ? input.totp.trim() : typeof input.totp === 'number' ? String(input.totp).padStart(6, '0') : '';
    if (!/^\d{6}$/.test(code)) throw badRequest('bad_request', 'totp must be 6 digits');
    const params = sessionParamsOf(input);
    const fingerprint = deviceFingerprintOf(input);
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.require(appId, input.user_id, m, true);
      await this.guardGuessing(user.id);
      const totps = await this.live(m, user);
      if (!totps.length) throw notFound('totp_not_found');
      for (const t of totps) {
        const secret = this.sealer.open(t.secretSealed, SECRET_CONTEXT);
        const last = Number(t.lastStep);
        const result = await verifyTotp({ secret, token: code, epoch: Math.floor(Date.now() / 1000), epochTolerance: 30, ...(last > 0 ? { afterTimeStep: Math.min(last, Math.floor(Date.now() / 30_000) + 1) } : {}) }).catch(() => ({ valid: false as const }));
        if (!result.valid) continue;
        await m.update(PlatformTotp, { id: t.id }, { verified: true, lastStep: String((result as { timeStep?: number }).timeStep ?? Math.floor(Date.now() / 30_000)), updatedAt: new Date() });
        return this.authenticated(m, user, t, 'totp_authenticator', params, fingerprint);
      }
      await this.countFailure(user.id);
      throw unauthorized('unable_to_authenticate_totp');
    });
  }

  async recovery(appId: string, input: Input): Promise<Record<string, unknown>> {
    const given = typeof input.recovery_code === 'string' ? input.recovery_code : typeof input.totp === 'string' ? input.totp : '';
    if (!given.trim()) throw badRequest('bad_request', 'recovery_code is required');
    const wanted = given.trim().toLowerCase();
    const params = sessionParamsOf(input);
    const fingerprint = deviceFingerprintOf(input);
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.require(appId, input.user_id, m, true);
      await this.guardGuessing(user.id);
      const totps = await this.live(m, user);
      if (!totps.length) throw notFound('totp_not_found');
      for (const t of totps) {
        const codes = JSON.parse(this.sealer.open(t.recoveryCodesSealed, CODES_CONTEXT)) as RecoveryCode[];
        let hit: RecoveryCode | undefined;
        for (const c of codes) if (!c.used && safeEqual(c.code, wanted)) hit = c;
        if (!hit) continue;
        hit.used = true;
        await m.update(PlatformTotp, { id: t.id }, { recoveryCodesSealed: this.sealer.seal(JSON.stringify(codes), CODES_CONTEXT), updatedAt: new Date() });
        return this.authenticated(m, user, t, 'totp_recovery_code', params, fingerprint);
      }
      await this.countFailure(user.id);
      throw unauthorized('unable_to_authenticate_recovery_code');
    });
  }

  private async authenticated(m: EntityManager, user: PlatformUser, t: PlatformTotp, channel: string, params: ReturnType<typeof sessionParamsOf>, fingerprint: ReturnType<typeof deviceFingerprintOf>): Promise<Record<string, unknown>> {
    await this.users.activate(m, user);
    const totpId = pid('totp', t.id);
    const session = await this.sessions.establish(
      m,
      user,
      { type: 'totp', delivery_channel: channel, method: { method_id: totpId, method_type: 'totp', totp_id: totpId, last_verified_at: Math.floor(Date.now() / 1000) } },
      params,
      fingerprint,
    );
    return { totp_id: totpId, user_id: pid('user', user.id), ...session };
  }

  async recoveryCodes(appId: string, input: Input): Promise<Record<string, unknown>> {
    const user = await this.users.require(appId, input.user_id);
    const rows = await this.dataSource.manager.find(PlatformTotp, { where: { userId: user.id }, order: { id: 'ASC' } });
    return {
      user_id: pid('user', user.id),
      totps: rows
        .filter((t) => this.usable(t))
        .map((t) => ({
          id: pid('totp', t.id),
          verified: t.verified,
          recovery_codes: (JSON.parse(this.sealer.open(t.recoveryCodesSealed, CODES_CONTEXT)) as RecoveryCode[]).filter((c) => !c.used).map((c) => c.code),
        })),
    };
  }

  async delete(appId: string, publicId: string): Promise<string> {
    const id = uuidOf('totp', publicId);
    return this.dataSource.transaction(async (m) => {
      const t = id ? await m.findOne(PlatformTotp, { where: { appId, id } }) : null;
      if (!t) throw notFound('totp_not_found', `TOTP ${publicId} not found`);
      await m.delete(PlatformTotp, { id: t.id });
      await this.users.touch(m, t.userId);
      return t.userId;
    });
  }
}
