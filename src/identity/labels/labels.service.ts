import { EventsService } from '../../core/messaging/events.service.js';
import { UserEvents } from '../users/user-events.js';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { User } from '../users/user.entity.js';
import { UserSections } from '../users/user-sections.js';
import { UsersService } from '../users/users.service.js';
import { Label, LabelScope } from './label.entity.js';
import { Level } from './level.entity.js';

/** Barong's defaults (config/barong.yml): what makes a user active, and what locks them out. */
export const ACTIVATION_REQUIREMENTS: Record<string, string> = { email: 'verified' };
export const STATE_TRIGGERS: [state: string, keys: string[]][] = [
  ['banned', ['ban', 'fraud']],
  ['deleted', ['delete']],
  ['locked', ['suspicious', 'lock']],
];

export interface LabelInput {
  key: string;
  value: string;
  scope: LabelScope;
  description?: string | null;
}

/** Lower-cased and whitespace-squished, as Barong normalises keys and values before validation. */
export const normalizeLabelPart = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Labels and what they imply. Every private-label change recomputes the user's state and level in
 * the same transaction, so the facts and their consequences never disagree.
 */
@Injectable()
export class LabelsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sections: UserSections,
    private readonly events: UserEvents,
    private readonly modelEvents: EventsService,
  ) {}

  list(userId: string, manager: EntityManager = this.dataSource.manager): Promise<Label[]> {
    return manager.find(Label, { where: { userId }, order: { createdAt: 'ASC' } });
  }

  find(userId: string, key: string, scope: LabelScope, manager: EntityManager = this.dataSource.manager): Promise<Label | null> {
    return manager.findOne(Label, { where: { userId, key: normalizeLabelPart(key), scope } });
  }

  /** Creates or updates the (user, key, scope) label; private changes recompute state and level. */
  async set(manager: EntityManager, userId: string, input: LabelInput): Promise<Label> {
    const key = normalizeLabelPart(input.key);
    const value = normalizeLabelPart(input.value);
    let label = await manager.findOne(Label, { where: { userId, key, scope: input.scope } });
    const before = label ? { value: label.value, description: label.description } : null;
    if (label) {
      label.value = value;
      if (input.description !== undefined) label.description = input.description;
    } else {
      label = manager.create(Label, { userId, key, value, scope: input.scope, description: input.description ?? null });
    }
    await manager.save(label);
    if (input.scope === 'private') await this.recompute(manager, userId);
    await this.sections.changed(userId, manager);
    await this.emitLabel(manager, label, before);
    return label;
  }

  /**
   * `model.label.created` / `.updated` (Barong's record `{id, key, value, description, user}`;
   * an update that changes nothing is not an event), and `system.document.verified` /
   * `.rejected` when the private document label reaches that value.
   */
  private async emitLabel(m: EntityManager, label: Label, before: { value: string; description: string | null } | null): Promise<void> {
    if (!this.modelEvents.enabled) return;
    if (before && before.value === label.value && before.description === label.description) return;
    const user = await this.users.findById(label.userId, m);
    if (!user) return;
    const record = { id: label.id, key: label.key, value: label.value, scope: label.scope, description: label.description, user: await this.events.record(m, user) };
    if (!before) await this.modelEvents.emit(m, 'model.label.created', { record });
    else {
      const changes = Object.fromEntries((['value', 'description'] as const).filter((k) => before[k] !== label[k]).map((k) => [k, before[k]]));
      await this.modelEvents.emit(m, 'model.label.updated', { record, changes });
    }
    if (label.key === 'document' && label.scope === 'private' && (label.value === 'verified' || label.value === 'rejected')) {
      await this.modelEvents.emit(m, `system.document.${label.value}`, { record });
    }
  }

  /** Shorthand for the system's own facts (email:verified, phone:verified, otp:enabled, ...). */
  setPrivate(manager: EntityManager, userId: string, key: string, value: string): Promise<Label> {
    return this.set(manager, userId, { key, value, scope: 'private' });
  }

  async remove(manager: EntityManager, userId: string, key: string, scope: LabelScope, recompute = true): Promise<boolean> {
    const result = await manager.delete(Label, { userId, key: normalizeLabelPart(key), scope });
    if (scope === 'private' && recompute) await this.recompute(manager, userId);
    await this.sections.changed(userId, manager);
    return (result.affected ?? 0) > 0;
  }

  /**
   * Barong §4.2-4.3: state starts at pending, becomes active when the activation requirements are
   * met, then a state trigger (later wins) overrides; level is the last consecutive level satisfied.
   * Only private labels count: a user's own public labels never change their state (Barong lets a
   * public label named e.g. `lock` act as a trigger; that is a wart we do not copy).
   */
  async recompute(manager: EntityManager, userId: string): Promise<User> {
    const labels = await manager.find(Label, { where: { userId, scope: 'private' } });
    const has = (key: string, value?: string): boolean => labels.some((l) => l.key === key && (value === undefined || l.value === value));
    let state = 'pending';
    if (Object.entries(ACTIVATION_REQUIREMENTS).every(([k, v]) => has(k, v))) state = 'active';
    for (const [trigger, keys] of STATE_TRIGGERS) if (keys.some((k) => has(k))) state = trigger;

    const levels = await manager.find(Level, { order: { id: 'ASC' } });
    let level = 0;
    for (const l of levels) {
      if (!has(l.key, l.value)) break;
      level = l.id;
    }
    const user = await manager.findOneOrFail(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    const patch: Partial<User> = {};
    if (user.state !== state) patch.state = state;
    if (user.level !== level) patch.level = level;
    if (Object.keys(patch).length) return this.users.applyChange(manager, user, patch);
    return user;
  }

  levels(manager: EntityManager = this.dataSource.manager): Promise<Level[]> {
    return manager.find(Level, { order: { id: 'ASC' } });
  }
}
