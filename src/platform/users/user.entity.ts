import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

export type PlatformUserStatus = 'active' | 'pending';

/**
 * The platform face's view of a user of the shared `users` table (same id): Streambird's names and
 * status, and the timestamps users/search filters and sorts on, all indexed per app.
 */
@Entity('platform_users')
@Index('idx_platform_users_app_id', ['appId', 'id'])
@Index('idx_platform_users_app_status', ['appId', 'status', 'id'])
@Index('idx_platform_users_app_created', ['appId', 'createdAt'])
@Index('idx_platform_users_app_updated', ['appId', 'updatedAt'])
export class PlatformUser {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  firstName: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  middleName: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  lastName: string;

  @Column({ type: 'varchar', length: 16 })
  status: PlatformUserStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One of a user's e-mail addresses (Streambird allows several), unique per app. */
@Entity('platform_emails')
@Index('uq_platform_emails_app_email', ['appId', 'email'], { unique: true })
@Index('idx_platform_emails_user', ['userId'])
@Index('idx_platform_emails_email_trgm', { synchronize: false })
export class PlatformEmail extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;
}

/** One of a user's phone numbers (E.164), unique per app. */
@Entity('platform_phone_numbers')
@Index('uq_platform_phone_numbers_app_phone', ['appId', 'phoneNumber'], { unique: true })
@Index('idx_platform_phone_numbers_user', ['userId'])
@Index('idx_platform_phone_numbers_trgm', { synchronize: false })
export class PlatformPhoneNumber extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 32 })
  phoneNumber: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;
}

/** A registered WebAuthn credential (listed on the user, deletable). */
@Entity('platform_webauthn_credentials')
@Index('idx_platform_webauthn_credentials_user', ['userId'])
export class PlatformWebauthnCredential extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 512 })
  credentialId: string;

  @Column({ type: 'text' })
  publicKey: string;
}


/**
 * How many users of an app have each status, kept by a trigger on platform_users, so users/search
 * answers total_count for "every user" or "every user of a status" without counting a million rows.
 */
@Entity('platform_user_counts')
export class PlatformUserCount {
  @PrimaryColumn({ type: 'uuid' })
  appId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'bigint', default: 0 })
  n: string;
}
