import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A server-side login session. The cookie holds a random token; only its SHA-256 is stored.
 * expires_at slides with use (idle timeout); absolute_expires_at never moves.
 */
@Entity('sessions')
@Index('idx_sessions_user', ['userId'])
export class Session extends IdEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index('uq_sessions_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 64 })
  csrfToken: string;

  @Column({ type: 'varchar', length: 64 })
  userIp: string;

  @Column({ type: 'text', default: '' })
  userAgent: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz' })
  absoluteExpiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
