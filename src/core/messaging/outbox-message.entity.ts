import { Column, Entity, Index } from 'typeorm';
import { PendingDelivery } from './pending-delivery.js';

export type OutboxChannel = 'mail' | 'sms';
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** A mail or SMS written in the same transaction as the change that caused it, delivered later. */
@Entity('outbox_messages')
@Index('idx_outbox_due', ['status', 'nextAttemptAt'])
@Index('idx_outbox_destination', ['destinationKey', 'createdAt'])
export class OutboxMessage extends PendingDelivery<OutboxStatus> {
  @Column({ type: 'varchar', length: 8 })
  channel: OutboxChannel;

  /** Sealed while the message is undelivered; erased ('') once delivered, failed or expired. */
  @Column({ type: 'text' })
  recipient: string;

  /** A keyed hash of channel and recipient: the per-destination cap counts by it; kept after erasure. */
  @Column({ type: 'varchar', length: 64, default: '' })
  destinationKey: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  subject: string;

  /** Sealed like the recipient (it carries reset and confirmation tokens, SMS codes); erased with it. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  template: string;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
