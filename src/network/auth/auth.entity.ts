import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

/** A sign-in of a network (or a token derived from one). Tokens name it by a secret stored hashed. */
@Entity('network_sessions')
export class NetworkSession extends IdEntity {
  @Index('uq_network_sessions_sid_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  sidHash: string;

  @Index('idx_network_sessions_network')
  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'uuid' })
  userId: string;

  /** How it started: password, verify, code, adopt. */
  @Column({ type: 'varchar', length: 16 })
  via: string;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A mailed or texted code: e-mail/phone verification or password reset. Only its hash is kept. */
@Entity('network_user_codes')
@Index('idx_network_user_codes_user', ['userId', 'purpose'])
export class NetworkUserCode extends IdEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: 'verify' | 'reset';

  @Index('uq_network_user_codes_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A limited-use auth code that signs a tool in as the network's admin (code-create / code-login). */
@Entity('network_auth_codes')
export class NetworkAuthCode extends IdEntity {
  @Index('uq_network_auth_codes_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Index('idx_network_auth_codes_network')
  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'uuid' })
  userId: string;

  /** The creator's session: revoking it ends the code and the tokens it minted. */
  @Column({ type: 'uuid' })
  sessionId: string;

  /** The creator's root create_time, copied into the tokens it mints. */
  @Column({ type: 'timestamptz' })
  rootCreatedAt: Date;

  @Column({ type: 'int' })
  usesLeft: number;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
