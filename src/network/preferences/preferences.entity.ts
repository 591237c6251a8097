import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

@Entity('network_preferences')
export class NetworkPreferences {
  @PrimaryColumn({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'boolean', default: false })
  productUpdates: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('network_feedback')
export class NetworkFeedback extends IdEntity {
  @Index('idx_network_feedback_network')
  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  uses: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  needs: Record<string, unknown>;

  @Column({ type: 'int', nullable: true })
  starCount: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
