import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, IsNull, In, MoreThan } from 'typeorm';
import { randomDigits, safeEqual, sha256Hex } from '../../core/crypto/tokens.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { OutboxService } from '../../core/messaging/outbox.service.js';
import { AppDirectory } from '../apps/app-directory.js';
import { badRequest, notFound, tooManyRequests, unauthorized } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { deviceFingerprintOf, type Input, intInRange, normalizeEmailInput, normalizePhoneInput, optBool } from '../common/input.js';
import { PlatformSessionsService } from '../sessions/platform-sessions.service.js';
import { sessionParamsOf } from '../sessions/session-params.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import type { PlatformEmail, PlatformPhoneNumber, PlatformUser } from '../users/user.entity.js';
import { PlatformOtpCode } from './otp-code.entity.js';

/** Sends to one address: a couple seconds apart pass; 5 a minute, 20 an hour. */
const PER_ADDRESS = [
  { window: 60, max: 5 },
  { window: 3600, max: 20 },
];
/** Per app: generous for a backend's bursts, a ceiling against inbox bombing and SMS toll fraud. */
const PER_APP = { window: 60, max: 3000 };
const MAX_WRONG = 5;

type Channel = 'email' | 'sms';

/** One-time codes by mail and SMS, through the outbox; codes hashed, single use, few tries. */
@Injectable()
export class OtpsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: PlatformUsersService,
    private readonly sessions: PlatformSessionsService,
    private readonly outbox: OutboxService,
    private readonly counters: CounterStore,
    private readonly apps: AppDirectory,
  ) {}

  onModuleInit(): void {
    this.users.addHook({ deleted: async (m, user) => void (await m.delete(PlatformOtpCode, { userId: user.id })) });
  }

  private async limit(appId: string, address: string): Promise<void> {
    for (const { window, max } of PER_ADDRESS) {
      if ((await this.counters.hit(`platform:otp:${appId}:${sha256Hex(address)}:${window}`, window)) > max) throw tooManyRequests(`Too many codes sent to this address, try again later`);
    }
    if ((await this.counters.hit(`platform:otp-app:${appId}`, PER_APP.window)) > PER_APP.max) throw tooManyRequests();
  }

  /** email/send, email/login_or_create, sms/send, sms/login_or_create. */
  async send(appId: string, channel: Channel, input: Input, loginOrCreate: boolean): Promise<Record<string, unknown>> {
    const address = channel === 'email' ? normalizeEmailInput(input.email) : normalizePhoneInput(input.phone_number);
    const expiresIn = intInRange(input, 'expires_in', 1, 10, 1, 'invalid_expiration');
    const pending = optBool(input, 'requires_verification') ?? false;
    deviceFingerprintOf(input);
    await this.limit(appId, address);
    const app = await this.apps.get(appId);
    return this.dataSource.transaction(async (m) => {
      let method: PlatformEmail | PlatformPhoneNumber | null = channel === 'email' ? await this.users.emailByAddress(appId, address, m) : await this.users.phoneByNumber(appId, address, m);
      let user: PlatformUser;
      let created = false;
      if (!method) {
        if (!loginOrCreate) throw notFound(channel === 'email' ? 'email_not_found' : 'phone_number_not_found', `${address} is not a user of this app`);
        const made = await this.users.create(m, appId, { ...(channel === 'email' ? { email: address } : { phoneNumber: address }), status: pending ? 'pending' : 'active' });
        user = made.user;
        method = (made.email ?? made.phone)!;
        created = true;
      } else {
        user = (await this.users.find(appId, method.userId, m))!;
      }
      const code = randomDigits(6);
      await m.insert(PlatformOtpCode, {
        id: uuidv7(),
        appId,
        userId: user.id,
        methodId: method.id,
        methodType: channel === 'email' ? 'email' : 'phone_number',
        codeHash: sha256Hex(`${method.id}:${code}`),
        attempts: 0,
        expiresAt: new Date(Date.now() + expiresIn * 60_000),
        usedAt: null,
      });
      const text = `Your ${app.name} verification code is ${code}. It expires in ${expiresIn} minute${expiresIn === 1 ? '' : 's'}.`;
      if (channel === 'email') await this.outbox.enqueueMail(m, { to: address, subject: `Your ${app.name} verification code`, text: `${text}\n\ntoken: ${code}\n`, template: 'platform_otp' });
      else await this.outbox.enqueueSms(m, address, text, 'platform_otp');
      const userId = pid('user', user.id);
      const methodKey = channel === 'email' ? 'email_id' : 'phone_number_id';
      const methodId = pid(channel === 'email' ? 'email' : 'pn', method.id);
      return loginOrCreate ? { user_id: userId, user_created: created, status: user.status, [methodKey]: methodId } : { [methodKey]: methodId, user_id: userId };
    });
  }

  async verify(appId: string, input: Input): Promise<Record<string, unknown>> {
    const methodId = input.method_id;
    const kind = typeof methodId === 'string' && methodId.startsWith('email_') ? 'email' : typeof methodId === 'string' && methodId.startsWith('pn_') ? 'phone_number' : undefined;
    if (!kind) throw badRequest('invalid_method_id', 'method_id must be an email_ or pn_ id');
    const otp = typeof input.otp === 'string' ? input.otp.trim() : typeof input.otp === 'number' ? String(input.otp).padStart(6, '0') : '';
    if (!/^\d{6}$/.test(otp)) throw badRequest('bad_request', 'otp must be 6 digits');
    const params = sessionParamsOf(input);
    const fingerprint = deviceFingerprintOf(input);
    const id = uuidOf(kind === 'email' ? 'email' : 'pn', methodId);
    const outcome = await this.dataSource.transaction(async (m) => {
      const method = id ? (kind === 'email' ? await this.users.emailById(appId, id, m) : await this.users.phoneById(appId, id, m)) : null;
      if (!method) throw notFound(kind === 'email' ? 'email_not_found' : 'phone_number_not_found');
      const codes = await m.find(PlatformOtpCode, {
        where: { appId, methodId: method.id, usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        order: { id: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      const live = codes.filter((c) => c.attempts < MAX_WRONG);
      if (!live.length) throw notFound('otp_code_not_found');
      const hash = sha256Hex(`${method.id}:${otp}`);
      const match = live.find((c) => safeEqual(c.codeHash, hash));
      if (!match) {
        await m.increment(PlatformOtpCode, { id: In(live.map((c) => c.id)) }, 'attempts', 1);
        return { failed: true as const };
      }
      await m.update(PlatformOtpCode, { methodId: method.id, usedAt: IsNull() }, { usedAt: new Date() });
      const user = (await this.users.find(appId, method.userId, m))!;
      if (kind === 'email') await this.users.markEmailVerified(m, method as PlatformEmail);
      else await this.users.markPhoneVerified(m, method as PlatformPhoneNumber);
      await this.users.activate(m, user);
      const publicMethod = pid(kind === 'email' ? 'email' : 'pn', method.id);
      const now = Math.floor(Date.now() / 1000);
      const factor =
        kind === 'email'
          ? { type: 'otp', delivery_channel: 'email', method: { method_id: publicMethod, method_type: 'email', email_id: publicMethod, email: (method as PlatformEmail).email, last_verified_at: now } }
          : { type: 'otp', delivery_channel: 'sms', method: { method_id: publicMethod, method_type: 'phone_number', phone_number_id: publicMethod, phone_number: (method as PlatformPhoneNumber).phoneNumber, last_verified_at: now } };
      const session = await this.sessions.establish(m, user, factor, params, fingerprint);
      return { failed: false as const, body: { method_id: publicMethod, method_type: kind, user_id: pid('user', user.id), ...session } };
    });
    // The wrong try is counted in its own committed transaction, then refused.
    if (outcome.failed) throw unauthorized('unable_to_auth_otp_code');
    return outcome.body;
  }
}

