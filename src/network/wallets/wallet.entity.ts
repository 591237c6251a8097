import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

/** A wallet a network is paid out to: an external address, or a Circle user-controlled wallet. */
@Entity('network_wallets')
@Index('idx_network_wallets_network', ['networkId', 'active'])
export class NetworkWallet extends IdEntity {
  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'varchar', length: 16 })
  walletType: 'external' | 'circle_uc';

  @Column({ type: 'varchar', length: 16 })
  blockchain: string;

  @Column({ type: 'varchar', length: 128 })
  walletAddress: string;

  @Column({ type: 'varchar', length: 16, default: 'USDC' })
  defaultTokenType: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  circleWalletId: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The wallet a network's payouts go to (one per network). */
@Entity('network_payout_wallets')
export class NetworkPayoutWallet {
  @PrimaryColumn({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'uuid' })
  walletId: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
