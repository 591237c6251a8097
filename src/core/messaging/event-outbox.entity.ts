import { Column, Entity, Index } from 'typeorm';
import { PendingDelivery } from './pending-delivery.js';

export type EventStatus = 'pending' | 'published';

/**
 * A Barong Event API event written in the transaction of the change, published to RabbitMQ later
 * (at least once). The id is the JWT's `jti`, the same on every retry, so consumers can drop
 * duplicates.
 */
@Entity('event_outbox')
@Index('idx_event_outbox_due', ['nextAttemptAt'], { where: "status = 'pending'" })
export class EventOutboxEntry extends PendingDelivery<EventStatus> {
  /** e.g. `model.user.created`: exchange `barong.events.model`, routing key `user.created`. */
  @Column({ type: 'varchar', length: 128 })
  name: string;

  /** `{record, changes?}` as Barong sends it under `event` (the name is added when publishing). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
