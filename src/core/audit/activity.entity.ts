import { BeforeInsert, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '../database/uuid.js';

export type ActivityCategory = 'user' | 'admin';
export type ActivityResult = 'succeed' | 'failed' | 'denied';

/**
 * The audit log. Rows are append-only and written in the transaction of the change they record.
 * The table is range-partitioned by month on `created_at` (so the primary key includes it); the
 * sealer later gives each committed row its place in the hash chain (`seq`, `hash`).
 */
@Entity('activities')
@Index('idx_activities_seq', ['seq'])
@Index('idx_activities_created', ['createdAt', 'id'])
@Index('idx_activities_unsealed', ['createdAt'], { where: 'seq IS NULL' })
@Index('idx_activities_user_created', ['userId', 'createdAt', 'id'])
@Index('idx_activities_category_created', ['category', 'createdAt', 'id'])
@Index('idx_activities_topic_created', ['topic', 'createdAt', 'id'])
@Index('idx_activities_target_created', ['targetUid', 'createdAt', 'id'])
@Index('idx_activities_category_topic_created', ['category', 'topic', 'createdAt', 'id'])
@Index('idx_activities_metrics', ['topic', 'action', 'result', 'createdAt'])
export class Activity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_uuid_v7()' })
  id: string;

  /**
   * The acting user. Deliberately not a foreign key: the log sits below identity, and an entry must
   * never be rewritten (not even to null) when its user goes away.
   */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  targetUid: string | null;

  @Column({ type: 'varchar', length: 8 })
  category: ActivityCategory;

  @Column({ type: 'varchar', length: 64 })
  userIp: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  userIpCountry: string | null;

  @Column({ type: 'text', default: '' })
  userAgent: string;

  @Column({ type: 'varchar', length: 64 })
  topic: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 16 })
  result: ActivityResult;

  @Column({ type: 'text', nullable: true })
  data: string | null;

  @CreateDateColumn({ type: 'timestamptz', primary: true })
  createdAt: Date;

  /** Position in the hash chain; null until sealed. */
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;

  /** HMAC-SHA256 over the previous entry's hash and this row's canonical content; null until sealed. */
  @Column({ type: 'bytea', nullable: true, select: false })
  hash: Buffer | null;

  @BeforeInsert()
  protected assignId(): void {
    this.id ??= uuidv7();
  }
}
