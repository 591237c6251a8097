import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

/** A URnetwork network (an account): a unique name and its owner, a user of the default tenant. */
@Entity('network_networks')
export class Network extends IdEntity {
  @Column({ type: 'varchar', length: 63 })
  name: string;

  /** The name as compared for uniqueness (lower-cased). */
  @Index('uq_network_networks_name_key', { unique: true })
  @Column({ type: 'varchar', length: 63 })
  nameKey: string;

  @Index('idx_network_networks_owner')
  @Column({ type: 'uuid' })
  ownerUserId: string;

  /** The network that referred this one at sign-up, if any. */
  @Index('idx_network_networks_referrer')
  @Column({ type: 'uuid', nullable: true })
  referrerNetworkId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A network's referral code (one per network, made when first asked for). */
@Entity('network_referral_codes')
export class NetworkReferralCode {
  @Column({ type: 'uuid', primary: true })
  networkId: string;

  @Index('uq_network_referral_codes_code', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
