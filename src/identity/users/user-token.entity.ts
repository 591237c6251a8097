import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';
import { User } from './user.entity.js';

export type UserTokenPurpose = 'confirm_email' | 'reset_password';

/** Single-use e-mail confirmation and password-reset tokens, kept only as SHA-256 hashes. */
@Entity('user_tokens')
@Index('idx_user_tokens_user_purpose', ['userId', 'purpose'])
export class UserToken extends IdEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 32 })
  purpose: UserTokenPurpose;

  @Index('uq_user_tokens_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
