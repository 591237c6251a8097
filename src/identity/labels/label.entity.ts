import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

export type LabelScope = 'public' | 'private';

/** A key/value tag on a user. Private labels are the system's facts and drive state and level. */
@Entity('labels')
@Index('uq_labels_user_key_scope', ['userId', 'key', 'scope'], { unique: true })
@Index('idx_labels_key_value', ['key', 'value', 'scope'])
export class Label extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'varchar', length: 255 })
  value: string;

  @Column({ type: 'varchar', length: 16, default: 'public' })
  scope: LabelScope;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
