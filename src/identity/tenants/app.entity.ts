import { Column, Entity, Index } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/** The id of the tenant that the Barong and URnetwork faces serve. */
export const DEFAULT_APP_ID = '00000000-0000-7000-8000-000000000001';

/** A tenant. Every user belongs to one; email uniqueness is per app. */
@Entity('apps')
export class App extends TimestampedEntity {
  @Index('uq_apps_slug', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;
}
