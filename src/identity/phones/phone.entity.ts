import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A user's phone number (Barong's `phones`, with 3.0's retry counters). The number is sealed;
 * `numberIndex` is a keyed HMAC of its digits for equality lookups. A number can be verified by
 * one user only (partial unique index). The SMS code is kept only as a keyed hash.
 */
@Entity('phones')
@Index('uq_phones_user_number', ['userId', 'numberIndex'], { unique: true })
@Index('uq_phones_verified_number', ['numberIndex'], { unique: true, where: '"validated_at" IS NOT NULL' })
export class Phone extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** ISO 3166-1 alpha-2 country of the number. */
  @Column({ type: 'varchar', length: 8 })
  country: string;

  @Column({ type: 'text' })
  number: string;

  @Column({ type: 'varchar', length: 64 })
  numberIndex: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  codeDigest: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  codeSentAt: Date | null;

  @Column({ type: 'int', default: 0 })
  retriesSend: number;

  @Column({ type: 'int', default: 0 })
  retriesVerify: number;

  @Column({ type: 'timestamptz', nullable: true })
  validatedAt: Date | null;
}
