import { Column, Entity, Index } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/** A TOTP authenticator of a user; the secret and the recovery codes are sealed. */
@Entity('platform_totps')
@Index('idx_platform_totps_user', ['userId'])
export class PlatformTotp extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  secretSealed: string;

  /** Sealed JSON: [{code, used}]. */
  @Column({ type: 'text' })
  recoveryCodesSealed: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;

  /** An unverified TOTP is unusable after this. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** The last time step a code was accepted for (replay guard). */
  @Column({ type: 'bigint', default: 0 })
  lastStep: string;
}
