import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { IdEntity } from '../database/base.entity.js';

export type ActivityCategory = 'user' | 'admin';
export type ActivityResult = 'succeed' | 'failed' | 'denied';

/** The audit log. Rows are append-only and written in the transaction of the change they record. */
@Entity('activities')
@Index('idx_activities_user_created', ['userId', 'createdAt'])
@Index('idx_activities_category_created', ['category', 'createdAt'])
@Index('idx_activities_topic_created', ['topic', 'createdAt'])
@Index('idx_activities_target_created', ['targetUid', 'createdAt'])
@Index('idx_activities_category_topic_created', ['category', 'topic', 'createdAt'])
@Index('idx_activities_metrics', ['topic', 'action', 'result', 'createdAt'])
export class Activity extends IdEntity {
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

  @Index('idx_activities_created')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
