import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type EventStatus = 'pending' | 'published';

/**
 * A Barong Event API event written in the transaction of the change, published to RabbitMQ later
 * (at least once). The id is the JWT's `jti`, the same on every retry, so consumers can drop
 * duplicates.
 */
@Entity('event_outbox')
@Index('idx_event_outbox_due', ['nextAttemptAt'], { where: "status = 'pending'" })
export class EventOutboxEntry {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_uuid_v7()' })
  id: string;

  /** e.g. `model.user.created`: exchange `barong.events.model`, routing key `user.created`. */
  @Column({ type: 'varchar', length: 128 })
  name: string;

  /** `{record, changes?}` as Barong sends it under `event` (the name is added when publishing). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: EventStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
