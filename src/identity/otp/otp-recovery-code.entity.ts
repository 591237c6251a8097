import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A single-use 2FA recovery code, issued in sets of ten when 2FA is enabled. Sealed (not hashed)
 * because the platform face lists a user's codes again; `used_at` marks a spent code.
 */
@Entity('otp_recovery_codes')
@Index('idx_otp_recovery_codes_user', ['userId'])
export class OtpRecoveryCode extends IdEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  codeSealed: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
