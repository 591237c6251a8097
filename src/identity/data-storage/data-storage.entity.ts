import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/** A titled JSON blob a user keeps with their account (Barong's data_storages). */
@Entity('data_storages')
@Index('uq_data_storages_user_title', ['userId', 'title'], { unique: true })
export class DataStorage extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'text' })
  data: string;
}
