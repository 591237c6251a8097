import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a provider client did on one UTC day (written by the connect side; search interest by provider searches). */
@Entity('network_provider_daily_stats')
@Index('idx_network_provider_daily_stats_network_day', ['networkId', 'day'])
export class ProviderDailyStat {
  @PrimaryColumn({ type: 'uuid' })
  clientId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'int', default: 0 })
  uptimeMinutes: number;

  @Column({ type: 'bigint', default: 0 })
  transferBytes: string;

  @Column({ type: 'bigint', default: 0 })
  payoutNanoCents: string;

  @Column({ type: 'int', default: 0 })
  searchInterest: number;

  @Column({ type: 'int', default: 0 })
  contracts: number;

  @Column({ type: 'int', default: 0 })
  clients: number;
}
