import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { App } from '../tenants/app.entity.js';

export type UserState = 'pending' | 'active' | 'banned' | 'deleted' | 'locked' | (string & {});

/** A person. Barong's columns plus the tenant; email is stored lower-cased, unique per app. */
@Entity('users')
@Index('uq_users_app_email', ['appId', 'email'], { unique: true })
@Index('uq_users_app_username', ['appId', 'username'], { unique: true })
@Index('uq_users_app_phone_number', ['appId', 'phoneNumber'], { unique: true })
@Index('idx_users_created_at', ['createdAt'])
@Index('idx_users_email', ['email'])
@Index('idx_users_updated_at', ['updatedAt'])
export class User extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @ManyToOne(() => App, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'app_id' })
  app?: App;

  @Index('uq_users_uid', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  uid: string;

  /** Null for people who signed up with a phone number only (network and platform faces). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  /** E.164; the sign-in phone of the network and platform faces (Barong's verified phones live in `phones`). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phoneNumber: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  username: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  passwordDigest: string | null;

  @Index('idx_users_role')
  @Column({ type: 'varchar', length: 64, default: 'member' })
  role: string;

  @Column({ type: 'text', nullable: true })
  data: string | null;

  @Column({ type: 'int', default: 0 })
  level: number;

  @Column({ type: 'boolean', default: false })
  otp: boolean;

  @Index('idx_users_state')
  @Column({ type: 'varchar', length: 32, default: 'pending' })
  state: UserState;

  @Column({ type: 'uuid', nullable: true })
  referralId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'referral_id' })
  referral?: User | null;
}

/** The address mail to a user goes to; people who signed up by phone have none. */
export function mailAddressOf(user: Pick<User, 'email'>): string {
  if (!user.email) throw new Error('this user has no e-mail address');
  return user.email;
}
