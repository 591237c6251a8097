import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A restriction rule (Barong §3): who is trusted, refused, or kept from logging in. */
@Entity('restrictions')
@Index('uq_restrictions_value_scope_category', ['value', 'scope', 'category'], { unique: true })
export class Restriction {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 255 })
  category: string;

  @Column({ type: 'varchar', length: 64 })
  scope: string;

  @Column({ type: 'varchar', length: 64 })
  value: string;

  @Column({ type: 'int', nullable: true })
  code: number | null;

  @Column({ type: 'varchar', length: 16, default: 'enabled' })
  state: string;

  @Index('idx_restrictions_created')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Index('idx_restrictions_updated')
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A whitelink issued by an admin: only the SHA-256 of the token is kept, until it expires. */
@Entity('restriction_whitelinks')
export class RestrictionWhitelink {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Index('idx_restriction_whitelinks_expires')
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
