import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/** How a session was authenticated: Streambird's factor object. */
export interface SessionFactor {
  type: string;
  delivery_channel: string;
  method: Record<string, unknown> & { method_id: string; method_type: string; last_verified_at: number };
}

/** A /v1 session; the opaque token is kept only as its SHA-256. */
@Entity('platform_sessions')
@Index('idx_platform_sessions_user', ['userId', 'expiresAt'])
export class PlatformSession {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Index('uq_platform_sessions_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz' })
  lastActiveAt: Date;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  factors: SessionFactor[];

  @Column({ type: 'varchar', length: 512, default: '' })
  userAgent: string;

  @Column({ type: 'varchar', length: 512, default: '' })
  ip: string;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** An app's RS256 session-JWT key; retired keys stay published until their tokens have expired. */
@Entity('platform_signing_keys')
@Index('idx_platform_signing_keys_app', ['appId', 'createdAt'])
export class PlatformSigningKey extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Index('uq_platform_signing_keys_kid', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @Column({ type: 'text' })
  privateKeySealed: string;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
