import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/** Barong's integer enum for profile states. */
export const PROFILE_STATES = { drafted: 0, submitted: 1, verified: 3, rejected: 4 } as const;
export type ProfileState = keyof typeof PROFILE_STATES;

export function profileStateName(n: number): ProfileState {
  const found = (Object.entries(PROFILE_STATES) as [ProfileState, number][]).find(([, v]) => v === n);
  if (!found) throw new Error(`unknown profile state ${n}`);
  return found[0];
}

/**
 * A person's KYC identity. Names, birth date and address are sealed at rest; at most one profile
 * per user is open (drafted or submitted) at a time, enforced by a partial unique index.
 */
@Entity('profiles')
@Index('idx_profiles_user', ['userId', 'createdAt'])
@Index('uq_profiles_user_open', ['userId'], { unique: true, where: '"state" IN (0, 1)' })
export class Profile extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** uid of the admin who created the profile on the user's behalf. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  author: string | null;

  /** KYC provider's applicant id. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  applicantId: string | null;

  @Column({ type: 'text', nullable: true })
  firstNameSealed: string | null;

  @Column({ type: 'text', nullable: true })
  lastNameSealed: string | null;

  @Column({ type: 'text', nullable: true })
  dobSealed: string | null;

  @Column({ type: 'text', nullable: true })
  addressSealed: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  postcode: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  city: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  country: string | null;

  @Column({ type: 'smallint', default: PROFILE_STATES.drafted })
  state: number;

  @Column({ type: 'text', nullable: true })
  metadata: string | null;
}
