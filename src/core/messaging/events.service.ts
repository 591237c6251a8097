import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventOutboxEntry } from './event-outbox.entity.js';

/** What Barong sends under `event` besides the name. */
export interface EventPayload {
  /** The model or system record (Barong's `as_json_for_event_api`; null fields are dropped). */
  record: object;
  /** Model updates: the previous values of the fields that changed. */
  changes?: object;
}

const EVENT_NAME = /^[a-z_]+(\.[a-z_]+)+$/;

/** Drops null and undefined fields (Barong's records leave nil fields out), at any depth. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value instanceof Date) return value.toISOString() as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, compact(v)]),
    ) as T;
  }
  return value;
}

/**
 * Barong's Event API, for every module and face: `emit(manager, 'model.user.created', {record})`
 * inside the transaction of the change writes the event to the outbox, so it is published (to
 * exchange `barong.events.<first token>`, routing key the rest of the name) if and only if the
 * change commits. When EVENT_API_RABBITMQ_URL is not set, nothing is written.
 */
@Injectable()
export class EventsService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return !!this.config.eventApiRabbitmqUrl;
  }

  async emit(manager: EntityManager, name: string, payload: EventPayload): Promise<void> {
    if (!EVENT_NAME.test(name)) throw new Error(`invalid event name ${name}`);
    if (!this.enabled) return;
    const body: Record<string, unknown> = { record: compact(payload.record) };
    if (payload.changes) body.changes = JSON.parse(JSON.stringify(payload.changes)) as object;
    await manager.insert(EventOutboxEntry, { name, payload: body as never });
  }
}

/** `model.user.created` → exchange `barong.events.model`, routing key `user.created`. */
export function eventRoute(name: string): { exchange: string; routingKey: string } {
  const dot = name.indexOf('.');
  return { exchange: `barong.events.${name.slice(0, dot)}`, routingKey: name.slice(dot + 1) };
}
