import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/** An admin's note about a user. */
@Entity('comments')
@Index('idx_comments_user_created', ['userId', 'createdAt'])
export class Comment extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  authorUid: string;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'text' })
  data: string;
}
