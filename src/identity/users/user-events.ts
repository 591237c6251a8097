import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { EventsService } from '../../core/messaging/events.service.js';
import { User } from './user.entity.js';

/** Barong's `User#as_json_for_event_api` (null fields are dropped when emitted). */
export interface UserEventRecord {
  uid: string;
  username: string | null;
  email: string | null;
  role: string;
  level: number;
  otp: boolean;
  state: string;
  referral_uid: string | null;
  created_at: string;
  updated_at: string;
}

/** Fields of the record a `model.user.updated` event reports the previous values of. */
const TRACKED = ['username', 'email', 'role', 'level', 'otp', 'state'] as const;
type Tracked = (typeof TRACKED)[number];

/**
 * The user-centred events of Barong's Event API, emitted in the caller's transaction: the model
 * events of the user itself and the system events whose record carries `user`.
 */
@Injectable()
export class UserEvents {
  constructor(
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.events.enabled;
  }

  async record(m: EntityManager, user: User, updatedAt?: Date): Promise<UserEventRecord> {
    let referralUid: string | null = null;
    if (user.referralId) referralUid = (await m.findOne(User, { where: { id: user.referralId }, select: { id: true, uid: true } }))?.uid ?? null;
    return {
      uid: user.uid,
      username: user.username,
      email: user.email,
      role: user.role,
      level: user.level,
      otp: user.otp,
      state: user.state,
      referral_uid: referralUid,
      created_at: user.createdAt.toISOString(),
      updated_at: (updatedAt ?? user.updatedAt).toISOString(),
    };
  }

  async created(m: EntityManager, user: User): Promise<void> {
    if (!this.enabled) return;
    await this.events.emit(m, 'model.user.created', { record: await this.record(m, user) });
  }

  /** `model.user.updated` with the previous values of the changed fields; nothing when none changed. */
  async updated(m: EntityManager, user: User, before: Partial<Pick<User, Tracked>>): Promise<void> {
    if (!this.enabled) return;
    const changes = Object.fromEntries(TRACKED.filter((k) => k in before && before[k] !== user[k]).map((k) => [k, before[k] ?? null]));
    if (!Object.keys(changes).length) return;
    await this.events.emit(m, 'model.user.updated', { record: await this.record(m, user, new Date()), changes });
  }

  /** A system event whose record is `{user, ...extra}`; `domain` is added when asked (Barong's BARONG_DOMAIN). */
  async system(m: EntityManager, name: string, user: User, extra: Record<string, unknown> = {}, withDomain = true): Promise<void> {
    if (!this.enabled) return;
    const record = { user: await this.record(m, user), ...(withDomain ? { domain: this.config.barong.domain } : {}), ...extra };
    await this.events.emit(m, name, { record });
  }
}
