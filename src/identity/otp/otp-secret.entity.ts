import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

export type OtpSecretState = 'pending' | 'enabled';

/**
 * A user's TOTP secret. `pending` after a QR code was generated, `enabled` once a code proved the
 * authenticator has it. The secret is sealed with the user id as context. `last_used_step` is the
 * newest time step a code was accepted for: a code of that step or older is refused (replay guard).
 */
@Entity('otp_secrets')
export class OtpSecret extends TimestampedEntity {
  @Index('uq_otp_secrets_user', { unique: true })
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  secretSealed: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  state: OtpSecretState;

  @Column({ type: 'integer', nullable: true })
  lastUsedStep: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  enabledAt: Date | null;
}
