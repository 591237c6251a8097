import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdEntity } from '../database/base.entity.js';
import { User } from '../../identity/users/user.entity.js';

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
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: User | null;

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
