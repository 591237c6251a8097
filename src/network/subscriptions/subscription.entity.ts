import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

/** A prepaid data code made by an admin. The secret is shown once and stored only as a hash. */
@Entity('network_balance_codes')
export class BalanceCode extends IdEntity {
  @Index('uq_network_balance_codes_secret_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ type: 'bigint' })
  balanceByteCount: string;

  @Column({ type: 'timestamptz' })
  startTime: Date;

  @Column({ type: 'timestamptz' })
  endTime: Date;

  @Column({ type: 'timestamptz', nullable: true })
  redeemTime: Date | null;

  @Column({ type: 'uuid', nullable: true })
  redeemedByNetworkId: string | null;

  /** The admin who made it. */
  @Column({ type: 'uuid' })
  createdByUserId: string;

  @Index('idx_network_balance_codes_created_at')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Data a network may use between two times. */
@Entity('network_transfer_balances')
@Index('idx_network_transfer_balances_network', ['networkId', 'endTime'])
export class TransferBalance extends IdEntity {
  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'uuid', nullable: true })
  balanceCodeId: string | null;

  @Column({ type: 'timestamptz' })
  startTime: Date;

  @Column({ type: 'timestamptz' })
  endTime: Date;

  @Column({ type: 'bigint' })
  startBalanceByteCount: string;

  @Column({ type: 'bigint' })
  balanceByteCount: string;

  @Column({ type: 'bigint', default: 0 })
  netRevenueNanoCents: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An anonymous id handed to app stores as the obfuscated account id of a purchase. */
@Entity('network_subscription_payment_ids')
@Index('idx_network_subscription_payment_ids_network', ['networkId', 'createdAt'])
export class SubscriptionPaymentId {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  networkId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
