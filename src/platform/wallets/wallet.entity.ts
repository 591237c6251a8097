import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/**
 * A user's wallet: custodial (key generated here, sealed, never returned) or imported by a
 * signed challenge (read-only, no key).
 */
@Entity('platform_wallets')
@Index('uq_platform_wallets_app_address', ['appId', 'walletType', 'publicAddress'], { unique: true })
@Index('idx_platform_wallets_user', ['userId'])
@Index('idx_platform_wallets_app', ['appId', 'id'])
export class PlatformWallet extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 128 })
  publicAddress: string;

  @Column({ type: 'varchar', length: 8 })
  walletType: string;

  @Column({ type: 'boolean', default: true })
  verified: boolean;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  @Column({ type: 'boolean', default: false })
  isReadOnly: boolean;

  @Column({ type: 'boolean', default: false })
  isImported: boolean;

  @Column({ type: 'text', nullable: true, select: false })
  privateKeySealed: string | null;
}

/** A pending wallet sign-in challenge; consumed by a valid signature, once. */
@Entity('platform_wallet_registrations')
@Index('idx_platform_wallet_registrations_address', ['appId', 'walletType', 'publicAddress'])
export class PlatformWalletRegistration extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 128 })
  publicAddress: string;

  @Column({ type: 'varchar', length: 8 })
  walletType: string;

  @Column({ type: 'varchar', length: 512 })
  challenge: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null;
}

/** The balance of one wallet in one currency, in the currency's smallest unit; never negative. */
@Entity('platform_balances')
@Check('chk_platform_balances_non_negative', '"amount" >= 0')
export class PlatformBalance {
  @PrimaryColumn({ type: 'uuid' })
  walletId: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  currency: string;

  @Column({ type: 'numeric', precision: 78, scale: 0, default: 0 })
  amount: string;
}

/**
 * One leg of a double-entry posting: the legs of a posting sum to zero per currency. `account` is
 * a wallet id (`wallet:<uuid>`), an outside address (`external:<address>`) or the fee account.
 */
@Entity('platform_ledger_entries')
@Index('idx_platform_ledger_entries_transfer', ['transferId'])
@Index('idx_platform_ledger_entries_account', ['account'])
export class PlatformLedgerEntry extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid', nullable: true })
  transferId: string | null;

  @Column({ type: 'varchar', length: 200 })
  account: string;

  @Column({ type: 'varchar', length: 8 })
  currency: string;

  @Column({ type: 'numeric', precision: 78, scale: 0 })
  amount: string;
}

export type TransferStatus = 'unconfirmed' | 'pending' | 'completed' | 'failed' | 'cancelled';

@Entity('platform_transfers')
@Index('idx_platform_transfers_app', ['appId', 'status', 'id'])
@Index('idx_platform_transfers_user', ['appId', 'userId', 'id'])
@Index('idx_platform_transfers_source', ['sourceWalletId', 'id'])
export class PlatformTransfer extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  status: TransferStatus;

  @Column({ type: 'uuid' })
  sourceWalletId: string;

  @Column({ type: 'numeric', precision: 78, scale: 0 })
  sourceAmount: string;

  @Column({ type: 'varchar', length: 8 })
  sourceCurrency: string;

  @Column({ type: 'varchar', length: 200 })
  dest: string;

  @Column({ type: 'numeric', precision: 78, scale: 0 })
  destAmount: string;

  @Column({ type: 'varchar', length: 8 })
  destCurrency: string;

  @Column({ type: 'numeric', precision: 78, scale: 0 })
  totalFees: string;

  @Column({ type: 'text', default: '' })
  notes: string;

  @Column({ type: 'varchar', length: 128, default: '' })
  blockchainTxHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}
