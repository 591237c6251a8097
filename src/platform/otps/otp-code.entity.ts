import { Column, Entity, Index } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/** A one-time code sent to an e-mail or phone number; only its SHA-256 is kept. */
@Entity('platform_otp_codes')
@Index('idx_platform_otp_codes_method', ['methodId', 'expiresAt'])
@Index('idx_platform_otp_codes_user', ['userId'])
export class PlatformOtpCode extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid' })
  methodId: string;

  @Column({ type: 'varchar', length: 16 })
  methodType: 'email' | 'phone_number';

  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
