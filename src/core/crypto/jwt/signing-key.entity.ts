import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A JWT signing key. The private half is sealed with SECRET_KEY; the public half is published in
 * the JWKS until `retire_after` plus the longest token lifetime has passed.
 */
@Entity('signing_keys')
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 8 })
  alg: string;

  @Column({ type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @Column({ type: 'text' })
  privateKeySealed: string;

  @Index('idx_signing_keys_created')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** When set, the key no longer signs; it stays published for verification until its tokens expire. */
  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
