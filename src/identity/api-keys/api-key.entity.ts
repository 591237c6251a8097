import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';
import { ServiceAccount } from './service-account.entity.js';

export type ApiKeyState = 'active' | 'inactive';

/**
 * An HMAC API key (Barong `apikeys`). Exactly one holder: a user or a service account. The secret
 * is sealed with the kid as context and shown once, in the create response.
 */
@Entity('api_keys')
@Index('idx_api_keys_user', ['userId'])
@Index('idx_api_keys_service_account', ['serviceAccountId'])
export class ApiKey extends TimestampedEntity {
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: User | null;

  @Column({ type: 'uuid', nullable: true })
  serviceAccountId: string | null;

  @ManyToOne(() => ServiceAccount, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'service_account_id' })
  serviceAccount?: ServiceAccount | null;

  @Index('uq_api_keys_kid', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  kid: string;

  @Column({ type: 'varchar', length: 16, default: 'HS256' })
  algorithm: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scope: string[];

  @Column({ type: 'text' })
  secretSealed: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  state: ApiKeyState;
}
