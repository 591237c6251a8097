import { Column, Entity, Index } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/** The id of the tenant that the Barong and URnetwork faces serve. */
export const DEFAULT_APP_ID = '00000000-0000-7000-8000-000000000001';

export type AppStatus = 'active' | 'disabled';

/** A tenant. Every user belongs to one; email uniqueness is per app. */
@Entity('apps')
export class App extends TimestampedEntity {
  @Index('uq_apps_slug', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** SHA-256 (hex) of the app's secret key; the key itself is shown once. */
  @Index('uq_apps_secret_key_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  secretKeyHash: string | null;

  /** The browser-safe token (`pk_test_…`); public, so stored as is. */
  @Index('uq_apps_public_token', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  publicToken: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: AppStatus;

  @Column({ type: 'timestamptz', nullable: true })
  secretRotatedAt: Date | null;
}
