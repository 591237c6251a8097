import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A non-human account owned by a user (Barong `service_accounts`): it cannot log in and acts only
 * through its API keys. uid is `SI` + 10 upper-case hex, unique across users and service accounts.
 */
@Entity('service_accounts')
@Index('idx_service_accounts_owner', ['ownerId'])
export class ServiceAccount extends TimestampedEntity {
  @Index('uq_service_accounts_uid', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  uid: string;

  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_id' })
  owner?: User | null;

  @Index('uq_service_accounts_email', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'varchar', length: 64, default: 'service_account' })
  role: string;

  @Column({ type: 'int', default: 0 })
  level: number;

  @Index('idx_service_accounts_state')
  @Column({ type: 'varchar', length: 32, default: 'pending' })
  state: string;
}
