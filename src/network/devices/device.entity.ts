import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

/** A code the owner network hands out to share one of its clients with another network. */
@Entity('network_device_share_codes')
export class DeviceShareCode extends IdEntity {
  @Index('uq_network_device_share_codes_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  /** The code itself, sealed (associations list it again). */
  @Column({ type: 'text' })
  codeSealed: string;

  @Index('idx_network_device_share_codes_owner')
  @Column({ type: 'uuid' })
  ownerNetworkId: string;

  @Column({ type: 'uuid' })
  clientId: string;

  @Column({ type: 'varchar', length: 256, default: '' })
  deviceName: string;

  @Index('idx_network_device_share_codes_guest')
  @Column({ type: 'uuid', nullable: true })
  guestNetworkId: string | null;

  @Column({ type: 'boolean', default: false })
  confirmed: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A code an unauthenticated device shows so that a network adopts it. */
@Entity('network_device_adopt_codes')
export class DeviceAdoptCode extends IdEntity {
  @Index('uq_network_device_adopt_codes_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'text' })
  codeSealed: string;

  /** The device's secret, hashed: only the device may poll, confirm or remove. */
  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ type: 'varchar', length: 256, default: '' })
  deviceName: string;

  @Column({ type: 'varchar', length: 1024, default: '' })
  deviceSpec: string;

  /** The adopting network, once it added the code. */
  @Index('idx_network_device_adopt_codes_owner')
  @Column({ type: 'uuid', nullable: true })
  ownerNetworkId: string | null;

  @Column({ type: 'boolean', default: false })
  confirmed: boolean;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A network's own name for a shared or adopted device. */
@Entity('network_device_association_names')
export class DeviceAssociationName {
  @PrimaryColumn({ type: 'uuid' })
  associationId: string;

  @PrimaryColumn({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'varchar', length: 256 })
  deviceName: string;
}
